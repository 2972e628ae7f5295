import { registerAs } from '@nestjs/config';
import { type Env, readEnum, readPositiveInt, readString } from './env-readers';

export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];

/** Settings of the standalone server process (not of the embeddable modules). */
export interface ServerSettings {
  port: number;
  host: string;
  /** `'*'` or a list of allowed origins. */
  corsOrigins: '*' | string[];
  httpAdapter: HttpAdapterName;
  /** Largest JSON body accepted on the token endpoints, in bytes. */
  jsonBodyLimit: number;
}

export function loadServerSettings(env: Env): ServerSettings {
  const cors = readString(env, 'CORS_ORIGINS') ?? '*';
  return {
    port: readPositiveInt(env, 'SERVER_PORT', 6080),
    host: readString(env, 'SERVER_HOST') ?? '0.0.0.0',
    corsOrigins:
      cors === '*'
        ? '*'
        : cors
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean),
    httpAdapter: readEnum(env, 'HTTP_ADAPTER', HTTP_ADAPTERS, 'express'),
    jsonBodyLimit: readPositiveInt(env, 'JSON_BODY_LIMIT', 16 * 1024),
  };
}

export const serverConfig = registerAs('server', () => loadServerSettings(process.env));
