import { registerAs } from '@nestjs/config';
import { ConfigValidationError } from './config.errors';
import { readCorsOrigins } from './cors-origins';
import { type Env, readEnum, readNonNegativeInt, readPositiveInt, readString } from './env-readers';
import { readTrustProxy, type TrustProxySetting } from './trust-proxy.reader';

export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const CORS_ROUTES = ['token', 'all'] as const;
export type CorsRoutesName = (typeof CORS_ROUTES)[number];

/**
 * Limits of the standalone server's Node HTTP server on how long a client may hold a connection: Node's
 * own defaults (60 s for headers, 300 s for a request, no idle limit) let slow senders keep sockets open.
 */
export interface HttpServerLimits {
  /**
   * Time to receive a request's headers, in ms; then 408 and the connection is closed.
   * @default 10000
   */
  headersTimeoutMs: number;
  /**
   * Time to receive a whole request, body included, in ms; then 408 and the connection is closed.
   * @default 30000
   */
  requestTimeoutMs: number;
  /**
   * How long a keep-alive connection may wait for its next request, in ms (Node adds 1 s of grace).
   * Below `headersTimeoutMs`.
   * @default 5000
   */
  keepAliveTimeoutMs: number;
  /**
   * Requests answered on one connection before it is closed (`Connection: close`), 0 for no limit: a client
   * or proxy holding one connection is spread over the instances again, for one new connection in 1000.
   * @default 1000
   */
  maxRequestsPerSocket: number;
  /**
   * A connection with no traffic either way for this long is closed, in ms: a client that stops reading its
   * answer. Keep it above the handlers' own limits (LiveKit calls 10 s, `WEBHOOK_HANDLER_TIMEOUT_MS`).
   * @default 60000
   */
  socketTimeoutMs: number;
}

/** Settings of the standalone server process (not of the embeddable modules). */
export interface ServerSettings {
  port: number;
  host: string;
  /** `'*'` or a list of allowed origins, each exactly as browsers send `Origin`. */
  corsOrigins: '*' | string[];
  /** Where CORS headers go: the token routes and their preflight (`token`), or every route (`all`). */
  corsRoutes: CorsRoutesName;
  httpAdapter: HttpAdapterName;
  /** Largest JSON body accepted on the token endpoints, in bytes. */
  jsonBodyLimit: number;
  /** Lowest level written to the JSON log (pino levels). */
  logLevel: LogLevelName;
  /** Serve the OpenAPI document and Swagger UI at `/docs`. */
  openApi: boolean;
  /**
   * Which proxies to trust for the client address (`X-Forwarded-For`), given to Express' and Fastify's
   * `trust proxy`: none (`false`), a hop count, or addresses/CIDRs. Never `true`: see {@link readTrustProxy}.
   */
  trustProxy: TrustProxySetting;
  httpLimits: HttpServerLimits;
}

export function loadServerSettings(env: Env): ServerSettings {
  return {
    port: readPositiveInt(env, 'SERVER_PORT', 6080),
    host: readString(env, 'SERVER_HOST') ?? '0.0.0.0',
    corsOrigins: readCorsOrigins(env),
    corsRoutes: readEnum(env, 'CORS_ROUTES', CORS_ROUTES, 'token'),
    httpAdapter: readEnum(env, 'HTTP_ADAPTER', HTTP_ADAPTERS, 'express'),
    jsonBodyLimit: readJsonBodyLimit(env),
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    openApi: readEnum(env, 'OPENAPI_ENABLED', ['true', 'false'], 'true') === 'true',
    trustProxy: readTrustProxy(env),
    httpLimits: readHttpServerLimits(env),
  };
}

function readHttpServerLimits(env: Env): HttpServerLimits {
  const limits: HttpServerLimits = {
    headersTimeoutMs: readPositiveInt(env, 'SERVER_HEADERS_TIMEOUT_MS', 10_000),
    requestTimeoutMs: readPositiveInt(env, 'SERVER_REQUEST_TIMEOUT_MS', 30_000),
    keepAliveTimeoutMs: readPositiveInt(env, 'SERVER_KEEP_ALIVE_TIMEOUT_MS', 5_000),
    maxRequestsPerSocket: readNonNegativeInt(env, 'SERVER_MAX_REQUESTS_PER_SOCKET', 1000),
    socketTimeoutMs: readPositiveInt(env, 'SERVER_SOCKET_TIMEOUT_MS', 60_000),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigValidationError(
      'SERVER_HEADERS_TIMEOUT_MS',
      `must not exceed SERVER_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs}), got ${limits.headersTimeoutMs}`,
      'the headers are part of the request: lower SERVER_HEADERS_TIMEOUT_MS or raise SERVER_REQUEST_TIMEOUT_MS',
    );
  }
  if (limits.keepAliveTimeoutMs >= limits.headersTimeoutMs) {
    throw new ConfigValidationError(
      'SERVER_KEEP_ALIVE_TIMEOUT_MS',
      `must be below SERVER_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}), got ${limits.keepAliveTimeoutMs}`,
      'lower SERVER_KEEP_ALIVE_TIMEOUT_MS or raise SERVER_HEADERS_TIMEOUT_MS (and SERVER_REQUEST_TIMEOUT_MS with it)',
    );
  }
  return limits;
}

/** JSON_BODY_LIMIT: the standalone server's JSON parser limit, and the token routes' limit (`tokenBodyLimit`). */
export function readJsonBodyLimit(env: Env): number {
  return readPositiveInt(env, 'JSON_BODY_LIMIT', 16 * 1024);
}

export const serverConfig = registerAs('server', () => loadServerSettings(process.env));
