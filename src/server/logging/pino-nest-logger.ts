import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Level, Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Nest's `LoggerService` over pino: `new Logger('Ctx').log(...)` becomes a JSON line with `context`.
 * A plain object message is merged into the line (its `msg`, if any, is the message); an Error keeps its stack.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(nestLevel: LogLevel, message: unknown, params: unknown[]): void {
    const level = PINO_LEVEL[nestLevel];
    if (!this.pino.isLevelEnabled(level)) return;
    // Nest appends the logger's context as the last parameter; `error` may put a stack before it.
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = nestLevel === 'error' && typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...fields } = message as Record<string, unknown>;
      this.pino[level]({ context, stack, ...fields }, typeof msg === 'string' ? msg : '');
    } else {
      this.pino[level]({ context, stack }, String(message));
    }
  }
}
