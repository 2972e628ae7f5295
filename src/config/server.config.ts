import { registerAs } from '@nestjs/config';
import { readCorsOrigins } from './cors-origins';
import { type Env, readEnum, readPositiveInt, readString } from './env-readers';

export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const CORS_ROUTES = ['token', 'all'] as const;
export type CorsRoutesName = (typeof CORS_ROUTES)[number];

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
   * Which proxies to trust for the client address (`X-Forwarded-For`), as Express' and Fastify's
   * `trust proxy`: false, true, a hop count, or a comma-separated list of addresses/CIDRs.
   */
  trustProxy: boolean | number | string;
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
  };
}

/** JSON_BODY_LIMIT: the standalone server's JSON parser limit, and the token routes' limit (`tokenBodyLimit`). */
export function readJsonBodyLimit(env: Env): number {
  return readPositiveInt(env, 'JSON_BODY_LIMIT', 16 * 1024);
}

function readTrustProxy(env: Env): boolean | number | string {
  const raw = readString(env, 'TRUST_PROXY');
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export const serverConfig = registerAs('server', () => loadServerSettings(process.env));
