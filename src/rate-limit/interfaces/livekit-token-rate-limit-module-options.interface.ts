import type { ThrottlerGetTrackerFunction, ThrottlerStorage } from '@nestjs/throttler';
import type { RedisOptions } from 'ioredis';
import type { LiveKitRedisConnectionOptions } from '../../common/redis-connection-options.interface';

/**
 * Where the counters of {@link LiveKitTokenRateLimitModule} live when several instances share them: one of
 * `url`, `sentinel` or `cluster`, with the same options as the webhook queue.
 */
export interface LiveKitTokenRateLimitRedisOptions extends LiveKitRedisConnectionOptions {
  /**
   * Prefix of every key; give each deployment sharing a Redis its own.
   * @default 'livekit:ratelimit:'
   */
  keyPrefix?: string;
  /**
   * Further ioredis options, merged over `url`. `enableOfflineQueue` is always false: while Redis is
   * unreachable, requests are let through at once instead of waiting.
   * @default { commandTimeout: 500, maxRetriesPerRequest: 1 }
   */
  redisOptions?: RedisOptions;
}

/** Options of {@link LiveKitTokenRateLimitModule}: a per-client limit on `POST /token` and `POST /livekit/token`. */
export interface LiveKitTokenRateLimitModuleOptions {
  /**
   * Limit the token endpoints. When false nothing is limited, so that one configuration can switch it
   * (the standalone server turns it on when `TOKEN_RATE_LIMIT` is set).
   * @default true
   */
  enabled?: boolean;
  /** Requests one client may make to one token endpoint in each `ttl` window. Required when enabled. */
  limit?: number;
  /**
   * Length of the window, in ms.
   * @default 60000
   */
  ttl?: number;
  /**
   * How long a client that went over the limit is refused (429 with `Retry-After`), in ms.
   * @default ttl
   */
  blockDuration?: number;
  /**
   * Count in Redis, so that the limit holds across every instance sharing it. Without it (and without
   * `storage`) each instance counts in its own memory.
   */
  redis?: LiveKitTokenRateLimitRedisOptions;
  /**
   * Your own `@nestjs/throttler` storage; takes precedence over `redis`.
   */
  storage?: ThrottlerStorage;
  /**
   * What identifies a client. Behind a load balancer, set your HTTP adapter's `trust proxy` to the
   * balancer's addresses so that `req.ip` is the client's address and not the balancer's (never `true`,
   * which lets any client choose its address with `X-Forwarded-For`).
   * @default the client address, `req.ip` (IPv6 grouped by /56)
   */
  getTracker?: ThrottlerGetTrackerFunction;
}
