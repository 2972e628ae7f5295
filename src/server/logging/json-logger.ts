import pino, { type DestinationStream, type Logger, stdTimeFunctions } from 'pino';
import type { LogLevelName } from '../config/server.config';
import { basePinoOptions } from './pino-options';

export interface JsonLoggers {
  /** For Nest's log lines: any object may be logged, so credential fields are redacted. */
  main: Logger;
  /**
   * For lines whose fields are fixed and hold no credential: request lines (the URL is redacted before) and
   * event lines (a fixed summary of the event). Without pino's path redaction, which costs about 10 µs per
   * line, four times the line itself (bench/micro.js).
   */
  fixedFields: Logger;
}

/** The standalone server's JSON loggers, writing to one destination (stdout by default). */
export function createJsonLoggers(level: LogLevelName, destination: DestinationStream = pino.destination(1)): JsonLoggers {
  return {
    main: pino(basePinoOptions(level), destination),
    fixedFields: pino({ level, timestamp: stdTimeFunctions.isoTime }, destination),
  };
}
