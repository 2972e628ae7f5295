import { type CanActivate, type DynamicModule, Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { LiveKitOptionsError } from '../livekit/livekit.errors';
import { LIVEKIT_TOKEN_THROTTLER } from '../token/token-throttler.token';
import type { LiveKitTokenRateLimitModuleOptions } from './interfaces/livekit-token-rate-limit-module-options.interface';
import { DEFAULT_TOKEN_RATE_TTL_MS, LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS } from './livekit-token-rate-limit.constants';
import {
  LIVEKIT_TOKEN_RATE_LIMIT_ASYNC_OPTIONS_TYPE,
  LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS_TYPE,
  LiveKitTokenRateLimitConfigurableModule,
} from './livekit-token-rate-limit.module-definition';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** Internal: the storage actually used (null when disabled), a provider so that Nest closes it on shutdown. */
const TOKEN_RATE_LIMIT_STORAGE = Symbol('TOKEN_RATE_LIMIT_STORAGE');

function positive(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
    throw new LiveKitOptionsError(`token rate limit ${name} must be a positive number, got ${value}`, `set ${name} > 0`);
  }
  return value;
}

function createStorage(options: LiveKitTokenRateLimitModuleOptions): ThrottlerStorage | null {
  if (options.enabled === false) return null;
  if (options.limit === undefined) {
    throw new LiveKitOptionsError('token rate limit is enabled without a limit', 'pass `limit` (TOKEN_RATE_LIMIT), or `enabled: false`');
  }
  positive('limit', options.limit);
  positive('ttl', options.ttl);
  positive('blockDuration', options.blockDuration);
  if (options.storage) return options.storage;
  if (options.redis) return new RedisThrottlerStorage(options.redis);
  return new ThrottlerStorageService();
}

async function createThrottler(
  options: LiveKitTokenRateLimitModuleOptions,
  storage: ThrottlerStorage | null,
  reflector: Reflector,
): Promise<CanActivate | null> {
  if (!storage || options.limit === undefined) return null;
  const ttl = options.ttl ?? DEFAULT_TOKEN_RATE_TTL_MS;
  // Built here rather than through ThrottlerModule, which is @Global(): importing it would hand our
  // options and storage to the host's own ThrottlerGuard.
  const guard = new ThrottlerGuard(
    {
      throttlers: [{ name: 'default', limit: options.limit, ttl, blockDuration: options.blockDuration ?? ttl }],
      getTracker: options.getTracker,
      errorMessage: (_context, detail) => `too many token requests; retry in ${detail.timeToBlockExpire} s`,
    },
    storage,
    reflector,
  );
  await guard.onModuleInit();
  return guard;
}

/**
 * Limits `POST /token` and `POST /livekit/token` per client with `@nestjs/throttler`: over the limit, 429
 * `{ errorMessage }` with `Retry-After`. Counters live in memory, or in Redis (`redis`) so that the limit
 * holds across instances. The webhook route is never limited. Register it once, next to
 * {@link LiveKitTokenModule}; it is global by default, and registers no global guard in your app.
 */
@Module({
  providers: [
    { provide: TOKEN_RATE_LIMIT_STORAGE, useFactory: createStorage, inject: [LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS] },
    {
      provide: LIVEKIT_TOKEN_THROTTLER,
      useFactory: createThrottler,
      inject: [LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS, TOKEN_RATE_LIMIT_STORAGE, Reflector],
    },
  ],
  exports: [LIVEKIT_TOKEN_THROTTLER],
})
export class LiveKitTokenRateLimitModule extends LiveKitTokenRateLimitConfigurableModule {
  static override forRoot(options: typeof LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS_TYPE): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof LIVEKIT_TOKEN_RATE_LIMIT_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
