import { registerAs } from '@nestjs/config';
import type { LiveKitTokenRateLimitModuleOptions } from '../../rate-limit';
import { ConfigValidationError } from './config.errors';
import { type Env, readDurationMs, readPositiveInt, readString } from './env-readers';

/**
 * Reads the token endpoints' rate limit: on when `TOKEN_RATE_LIMIT` is set, counted in Redis when
 * `REDIS_URL` is set (so that the limit holds across instances), in memory otherwise.
 */
export function loadTokenRateLimitOptions(env: Env): LiveKitTokenRateLimitModuleOptions {
  if (readString(env, 'TOKEN_RATE_LIMIT') === undefined) return { enabled: false };
  const limit = readPositiveInt(env, 'TOKEN_RATE_LIMIT', 1);
  const ttlMs = readDurationMs(env, 'TOKEN_RATE_TTL', 60_000);
  const url = readString(env, 'REDIS_URL');
  if (url !== undefined && !/^rediss?:\/\//i.test(url)) {
    throw new ConfigValidationError(
      'REDIS_URL',
      'is not a redis:// or rediss:// URL',
      'write REDIS_URL=redis://[user:password@]host:port[/db]',
    );
  }
  const keyPrefix = readString(env, 'TOKEN_RATE_REDIS_PREFIX');
  return {
    enabled: true,
    limit,
    ttl: ttlMs,
    ...(url === undefined ? {} : { redis: { url, ...(keyPrefix === undefined ? {} : { keyPrefix }) } }),
  };
}

export const tokenRateLimitConfig = registerAs('tokenRateLimit', () => loadTokenRateLimitOptions(process.env));
