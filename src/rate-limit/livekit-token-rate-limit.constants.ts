/** Injection token of the {@link LiveKitTokenRateLimitModuleOptions} given to `forRoot`/`forRootAsync`. */
export const LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS = Symbol('LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS');

export const DEFAULT_TOKEN_RATE_TTL_MS = 60_000;
export const DEFAULT_TOKEN_RATE_REDIS_PREFIX = 'livekit:ratelimit:';
/** Default ioredis `commandTimeout`: a slow Redis must not stall token requests. */
export const DEFAULT_TOKEN_RATE_REDIS_COMMAND_TIMEOUT_MS = 500;
/** At most one warning per this many ms while the rate-limit Redis is failing. */
export const RATE_LIMIT_OUTAGE_LOG_INTERVAL_MS = 30_000;
