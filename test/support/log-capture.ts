import { ConsoleLogger } from '@nestjs/common';
import { Writable } from 'node:stream';

/** A stream to give a pino logger, and the JSON lines written to it so far. */
export function captureLogLines(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Nest's logger for a test app, keeping each line (level, message, context) instead of printing it. */
export class CapturedNestLogger extends ConsoleLogger {
  readonly lines: { level: 'error' | 'warn' | 'log'; message: string; context?: string }[] = [];

  override error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }

  override log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }

  /** The messages written at `level`. */
  at(level: 'error' | 'warn' | 'log'): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }

  private keep(level: 'error' | 'warn' | 'log', message: unknown, rest: unknown[]): void {
    const context = rest[rest.length - 1];
    this.lines.push({ level, message: String(message), context: typeof context === 'string' ? context : undefined });
  }
}
