import pino, { type DestinationStream, type Logger, stdTimeFunctions } from 'pino';
import { createStdoutLogDestination, writeThrough } from './log-destination';
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
  /** Writes out what the destination buffers and writes every later line at once (nothing to do for an unbuffered one). */
  writeThrough(): void;
}

/** The standalone server's JSON loggers, writing to one destination (stdout by default, see {@link createStdoutLogDestination}). */
export function createJsonLoggers(level: LogLevelName, destination: DestinationStream = createStdoutLogDestination()): JsonLoggers {
  return {
    main: pino(basePinoOptions(level), destination),
    fixedFields: pino({ level, timestamp: stdTimeFunctions.isoTime }, destination),
    writeThrough: () => writeThrough(destination),
  };
}
