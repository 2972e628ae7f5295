import { BadRequestException } from '@nestjs/common';
import { assertRequestBodyWithinBounds, exceededJsonBound, REQUEST_BODY_BOUNDS } from './json-bounds';

const TOO_DEEP = 'is nested too deeply (more than 32 levels)';
const TOO_MANY = 'has too many values (more than 10000)';

/** `depth` arrays nested in one another, built without recursion. */
function nested(depth: number, leaf: unknown[] = []): unknown[] {
  let value = leaf;
  for (let level = 1; level < depth; level += 1) value = [value];
  return value;
}

/** An object whose enumerable property throws when read: reading it means the walk went on. */
function trap(): object {
  return Object.defineProperty({}, 'x', {
    enumerable: true,
    get: () => {
      throw new Error('walked past the bound');
    },
  });
}

describe('exceededJsonBound', () => {
  it.each([
    ['a string', 'x'],
    ['a number', 1],
    ['null', null],
    ['undefined', undefined],
    ['an empty object', {}],
    ['a Buffer of 100,000 bytes', Buffer.alloc(100_000)],
  ])('leaves %s alone', (_, value) => {
    expect(exceededJsonBound(value, REQUEST_BODY_BOUNDS)).toBeUndefined();
  });

  it('counts the body as level 1: 32 levels pass, 33 do not', () => {
    expect(exceededJsonBound(nested(32), REQUEST_BODY_BOUNDS)).toBeUndefined();
    expect(exceededJsonBound(nested(33), REQUEST_BODY_BOUNDS)).toBe(TOO_DEEP);
    expect(exceededJsonBound({ a: { b: [{ c: 1 }] } }, { maxDepth: 4, maxValues: 10 })).toBeUndefined();
    expect(exceededJsonBound({ a: { b: [{ c: {} }] } }, { maxDepth: 4, maxValues: 10 })).toBe('is nested too deeply (more than 4 levels)');
  });

  it('counts every value, containers and primitives, the body included', () => {
    expect(exceededJsonBound({ a: 1, b: [true, null] }, { maxDepth: 2, maxValues: 5 })).toBeUndefined();
    expect(exceededJsonBound({ a: 1, b: [true, null] }, { maxDepth: 2, maxValues: 4 })).toBe('has too many values (more than 4)');
    expect(exceededJsonBound(new Array(9_999).fill(0), REQUEST_BODY_BOUNDS)).toBeUndefined();
    expect(exceededJsonBound(new Array(10_000).fill(0), REQUEST_BODY_BOUNDS)).toBe(TOO_MANY);
  });

  it('walks a million levels without recursion', () => {
    expect(exceededJsonBound(nested(1_000_000), REQUEST_BODY_BOUNDS)).toBe(TOO_DEEP);
    expect(exceededJsonBound(nested(1_000_000), { maxDepth: 2_000_000, maxValues: Number.POSITIVE_INFINITY })).toBeUndefined();
  });

  it('walks what JSON.parse makes of a __proto__ key, an own property like any other', () => {
    const body: unknown = JSON.parse(`{"__proto__":${'['.repeat(40)}${']'.repeat(40)}}`);
    expect(exceededJsonBound(body, REQUEST_BODY_BOUNDS)).toBe(TOO_DEEP);
  });

  it('counts the items of a sparse array, not its length', () => {
    const sparse: number[] = [];
    sparse[4_294_967_294] = 1;
    expect(exceededJsonBound({ sparse }, REQUEST_BODY_BOUNDS)).toBeUndefined();
  });

  it('stops at the first bound exceeded, leaving the rest unread', () => {
    expect(exceededJsonBound([trap(), nested(40)], REQUEST_BODY_BOUNDS)).toBe(TOO_DEEP);
    expect(exceededJsonBound([trap(), new Array(20_000).fill(0)], REQUEST_BODY_BOUNDS)).toBe(TOO_MANY);
  });

  it('ends on a cycle, which no JSON body has, at whichever bound comes first', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(exceededJsonBound(cycle, REQUEST_BODY_BOUNDS)).toBe(TOO_DEEP);
    expect(exceededJsonBound(cycle, { maxDepth: Number.POSITIVE_INFINITY, maxValues: 100 })).toBe('has too many values (more than 100)');
  });

  it('lists the values of each container once (linear)', () => {
    let listings = 0;
    const counted = (target: object): object =>
      new Proxy(target, {
        ownKeys: (t) => {
          listings += 1;
          return Reflect.ownKeys(t);
        },
      });
    // A full binary tree of 10 levels: 1,023 containers, 2,047 values with its leaves.
    const tree = (levels: number): object => counted(levels === 1 ? [0, 0] : [tree(levels - 1), tree(levels - 1)]);
    expect(exceededJsonBound(tree(10), REQUEST_BODY_BOUNDS)).toBeUndefined();
    expect(listings).toBe(1_023);
  });
});

describe('assertRequestBodyWithinBounds', () => {
  it.each([
    [nested(6_000), `request body ${TOO_DEEP}`],
    [{ participantName: new Array(10_000).fill('x') }, `request body ${TOO_MANY}`],
  ])('answers 400 with the sentence for a body over a bound', (body, message) => {
    expect(() => assertRequestBodyWithinBounds(body)).toThrow(new BadRequestException(message));
  });

  it('lets a body within bounds through', () => {
    expect(() => assertRequestBodyWithinBounds({ roomName: 'r', participantName: 'p' })).not.toThrow();
  });
});
