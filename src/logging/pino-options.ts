import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LoggerOptions, stdTimeFunctions } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { LogLevelName } from '../config/server.config';
import { REDACTED_LOG_PATHS, REDACTION_CENSOR, redactQuery, redactUrl } from './log-redaction';
import { echoRequestId, resolveRequestId } from './request-id';

/** Options shared by the boot logger and the request logger: level, ISO time, redaction. */
export function basePinoOptions(level: LogLevelName): LoggerOptions {
  return {
    level,
    timestamp: stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_LOG_PATHS, censor: REDACTION_CENSOR },
  };
}

export interface RequestLogSettings {
  level: LogLevelName;
  /** Path prefixes whose successful requests are not logged (probes and scrapes every few seconds). */
  quietPaths: readonly string[];
}

/**
 * pino-http options of the standalone server: one JSON line per request with its id, method, URL
 * (sensitive query values redacted), status and time; 4xx at warn and 5xx at error. Log lines written
 * while handling a request carry only its `reqId`, not the whole request again.
 */
export function pinoHttpOptions(settings: RequestLogSettings): PinoHttpOptions {
  // Middleware mounted on a path sees `req.url` relative to it; `originalUrl` is the whole one.
  const pathOf = (req: IncomingMessage & { originalUrl?: string }) => req.originalUrl ?? req.url ?? '';
  return {
    ...basePinoOptions(settings.level),
    // Used on Express; on Fastify the request already carries the id the adapter gave it (same resolver).
    genReqId: (req: IncomingMessage) => resolveRequestId(req),
    // Runs on every request right after the id is settled, before any handler: the one place for both adapters.
    customProps: (req: IncomingMessage, res: ServerResponse) => {
      echoRequestId(res, req.id);
      return {};
    },
    quietReqLogger: true,
    autoLogging: { ignore: (req: IncomingMessage) => settings.quietPaths.some((path) => pathOf(req).startsWith(path)) },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => {
      if (error || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    serializers: {
      // Applied to pino-http's serialized request: the URL and the parsed query lose their sensitive values.
      req: (req: { url?: unknown; query?: unknown }) => ({
        ...req,
        url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
        query: redactQuery(req.query),
      }),
    },
  };
}
