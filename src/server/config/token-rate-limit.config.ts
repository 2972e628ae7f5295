import { registerAs } from '@nestjs/config';
import type { LiveKitTokenRateLimitModuleOptions } from '../../rate-limit';
import { type Env, readDurationMs, readPositiveInt, readString } from './env-readers';
import { loadRedisConnection } from './redis.config';

/**
 * Reads the token endpoints' rate limit: on when `TOKEN_RATE_LIMIT` is set, counted in Redis when
 * Redis is configured (`REDIS_URL`, `REDIS_SENTINELS` or `REDIS_CLUSTER_NODES`) (so that the limit holds across instances), in memory otherwise.
 */
export function loadTokenRateLimitOptions(env: Env): LiveKitTokenRateLimitModuleOptions {
  if (readString(env, 'TOKEN_RATE_LIMIT') === undefined) return { enabled: false };
  const limit = readPositiveInt(env, 'TOKEN_RATE_LIMIT', 1);
  const ttlMs = readDurationMs(env, 'TOKEN_RATE_TTL', 60_000);
  const redis = loadRedisConnection(env);
  const keyPrefix = readString(env, 'TOKEN_RATE_REDIS_PREFIX');
  return {
    enabled: true,
    limit,
    ttl: ttlMs,
    ...(redis === undefined ? {} : { redis: { ...redis, ...(keyPrefix === undefined ? {} : { keyPrefix }) } }),
  };
}

export const tokenRateLimitConfig = registerAs('tokenRateLimit', () => loadTokenRateLimitOptions(process.env));
