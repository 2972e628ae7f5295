import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { firstConnection, type LiveKitRedisClient, ResolvedRedisConnection } from '../common/redis-connection';
import { LiveKitOptionsError } from '../livekit/livekit.errors';
import type { LiveKitTokenRateLimitRedisOptions } from './interfaces/livekit-token-rate-limit-module-options.interface';
import {
  DEFAULT_TOKEN_RATE_REDIS_COMMAND_TIMEOUT_MS,
  DEFAULT_TOKEN_RATE_REDIS_PREFIX,
  RATE_LIMIT_OUTAGE_LOG_INTERVAL_MS,
} from './livekit-token-rate-limit.constants';

/** What `ThrottlerStorage.increment` resolves to (not re-exported by `@nestjs/throttler`'s index). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One atomic step of a fixed window with blocking, per key:
 * - while the block key lives, the request is refused and counts nothing;
 * - otherwise the hit counter is incremented (its window starts on the first hit);
 *   over the limit, the client is blocked for `blockDuration` and the counter restarts after the block.
 * KEYS: hits, block. ARGV: ttl ms, limit, blockDuration ms (≤ 0: until the window ends).
 * Returns { totalHits, ms until the window ends, blocked 0/1, ms until the block ends }.
 */
const INCREMENT_SCRIPT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return { tonumber(redis.call('GET', KEYS[2]) or '0'), blockLeft, 1, blockLeft }
end
local ttl = tonumber(ARGV[1])
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  left = ttl
end
if hits > tonumber(ARGV[2]) then
  local block = tonumber(ARGV[3])
  if block <= 0 then block = left end
  redis.call('SET', KEYS[2], hits, 'PX', block)
  redis.call('DEL', KEYS[1])
  return { hits, left, 1, block }
end
return { hits, left, 0, 0 }
`;

type IncrementReply = [number, number, number, number];
interface WithIncrement {
  livekitThrottleIncrement(hitsKey: string, blockKey: string, ttl: number, limit: number, blockDuration: number): Promise<IncrementReply>;
}

const READY_WAIT_MS = 2000;

/**
 * `@nestjs/throttler` storage in Redis, so that every instance sharing the Redis shares the counters.
 *
 * Why our own and not `@nest-lab/throttler-storage-redis`: that package declares a peer dependency on
 * `@nestjs/common` ≤ 11, which would make `npm ci` fail on the peer conflict as soon as this project moves
 * to Nest 12; what we need is one Lua script on the ioredis client the webhook queue already uses.
 *
 * Failure policy: fail open. While Redis is unreachable or slow (`commandTimeout`, 500 ms by default), requests
 * are let through uncounted and a warning is logged at most every 30 s: a Redis outage must not take token
 * issuance down with it. Keys are hash-tagged (`<prefix>{<client>}:hits` and `:block`) so that both keys of a
 * client land on one Redis Cluster slot, as the script needs; different clients spread over the slots.
 * Redis is one of `url`, `sentinel` or `cluster`, as for the webhook queue.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LiveKitTokenRateLimit');
  private readonly redis: LiveKitRedisClient & WithIncrement;
  private readonly prefix: string;
  private lastWarning = 0;

  constructor(options: LiveKitTokenRateLimitRedisOptions) {
    this.prefix = options.keyPrefix ?? DEFAULT_TOKEN_RATE_REDIS_PREFIX;
    const connection = new ResolvedRedisConnection(
      options,
      (problem, fix) => new LiveKitOptionsError(`token rate limit redis: ${problem}`, fix),
    );
    const redis = connection.create(
      { enableOfflineQueue: false },
      {
        commandTimeout: DEFAULT_TOKEN_RATE_REDIS_COMMAND_TIMEOUT_MS,
        maxRetriesPerRequest: 1,
        retryStrategy: (attempt: number) => Math.min(200 * attempt, 2000),
      },
    );
    redis.defineCommand('livekitThrottleIncrement', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    redis.on('error', (error: Error) => this.warn(error));
    this.redis = redis as LiveKitRedisClient & WithIncrement;
  }

  /** Waits briefly for the first connection, so that the first requests are counted; never fails the boot. */
  async onModuleInit(): Promise<void> {
    await firstConnection(this.redis, READY_WAIT_MS);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName: string): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}{${key}}`;
    try {
      const [totalHits, windowLeft, blocked, blockLeft] = await this.redis.livekitThrottleIncrement(
        `${base}:hits`,
        `${base}:block`,
        Math.ceil(ttl),
        limit,
        Math.ceil(blockDuration),
      );
      return {
        totalHits: Number(totalHits),
        timeToExpire: seconds(windowLeft),
        isBlocked: Number(blocked) === 1,
        timeToBlockExpire: seconds(blockLeft),
      };
    } catch (error) {
      this.warn(error);
      return { totalHits: 0, timeToExpire: seconds(ttl), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const quit = this.redis.quit().then(
      () => undefined,
      () => undefined,
    );
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 1000).unref());
    if ((await Promise.race([quit, timeout])) === 'timeout') this.redis.disconnect();
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < RATE_LIMIT_OUTAGE_LOG_INTERVAL_MS) return;
    this.lastWarning = now;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(`token rate limit: Redis unavailable (${message}); requests are let through uncounted until it returns`);
  }
}

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(Number(ms) / 1000));
}
