import { type LoggerOptions, stdTimeFunctions } from 'pino';
import type { LogLevelName } from '../config/server.config';
import { REDACTED_LOG_PATHS, REDACTION_CENSOR } from './log-redaction';

/** Options of the boot logger and of Nest's JSON lines: level, ISO time, redaction. */
export function basePinoOptions(level: LogLevelName): LoggerOptions {
  return {
    level,
    timestamp: stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_LOG_PATHS, censor: REDACTION_CENSOR },
  };
}
