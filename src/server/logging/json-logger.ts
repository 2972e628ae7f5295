import pino, { type DestinationStream, type Logger, stdTimeFunctions } from 'pino';
import type { LogLevelName } from '../config/server.config';
import { basePinoOptions } from './pino-options';

export interface JsonLoggers {
  /** For Nest's log lines: any object may be logged, so credential fields are redacted. */
  main: Logger;
  /**
   * For the request lines only, whose fields are fixed and hold no credential (the URL is redacted before):
   * without pino's path redaction, which costs about 8 µs per line, five times the line itself.
   */
  requests: Logger;
}

/** The standalone server's JSON loggers, writing to one destination (stdout by default). */
export function createJsonLoggers(level: LogLevelName, destination: DestinationStream = pino.destination(1)): JsonLoggers {
  return {
    main: pino(basePinoOptions(level), destination),
    requests: pino({ level, timestamp: stdTimeFunctions.isoTime }, destination),
  };
}
