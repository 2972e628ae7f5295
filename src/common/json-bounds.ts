import { BadRequestException } from '@nestjs/common';

/** Bounds on the shape of a parsed JSON value. */
export interface JsonBounds {
  /** Deepest nesting of objects and arrays; the value itself is level 1. */
  readonly maxDepth: number;
  /** Most values counted: objects, arrays and primitives, the value itself included. */
  readonly maxValues: number;
}

/**
 * Bounds of the bodies our routes validate, checked before class-transformer and Nest's `ValidationPipe`,
 * which recurse once per level (a few thousand levels overflow the stack) and take over a second for
 * half a million values. The deepest body our DTOs accept nests 8 levels (`room_config.egress.room.file_outputs[]
 * .s3.metadata` of `POST /livekit/token`) and a real one holds a few dozen values.
 */
export const REQUEST_BODY_BOUNDS: JsonBounds = { maxDepth: 32, maxValues: 10_000 };

function isBinary(value: object): boolean {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/**
 * The first bound `value` exceeds, as the end of a sentence (`is nested too deeply (more than 32 levels)`,
 * `has too many values (more than 10000)`), or `undefined` within bounds. Iterative and linear: each
 * value is counted once, and the walk stops at the first container over a bound. A binary value
 * (a Buffer from a raw body parser) is one value, as Nest's `ValidationPipe` treats it.
 */
export function exceededJsonBound(value: unknown, bounds: JsonBounds): string | undefined {
  if (bounds.maxValues < 1) return tooMany(bounds);
  if (!isContainer(value)) return undefined;
  if (bounds.maxDepth < 1) return tooDeep(bounds);
  // Two parallel stacks, no pair per container: this runs on every request body.
  const containers: object[] = [value];
  const depths: number[] = [1];
  let values = 1;
  for (let container = containers.pop(); container !== undefined; container = containers.pop()) {
    const depth = depths.pop() as number;
    const children: unknown[] = Object.values(container);
    values += children.length;
    if (values > bounds.maxValues) return tooMany(bounds);
    for (const child of children) {
      if (!isContainer(child)) continue;
      if (depth >= bounds.maxDepth) return tooDeep(bounds);
      containers.push(child);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !isBinary(value);
}

function tooDeep(bounds: JsonBounds): string {
  return `is nested too deeply (more than ${bounds.maxDepth} levels)`;
}

function tooMany(bounds: JsonBounds): string {
  return `has too many values (more than ${bounds.maxValues})`;
}

/** 400 `request body is nested too deeply (…)` / `has too many values (…)` for a body over {@link REQUEST_BODY_BOUNDS}. */
export function assertRequestBodyWithinBounds(body: unknown): void {
  const exceeded = exceededJsonBound(body, REQUEST_BODY_BOUNDS);
  if (exceeded !== undefined) throw new BadRequestException(`request body ${exceeded}`);
}
