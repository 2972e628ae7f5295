// `nest-livekit/rate-limit`: per-client limits on the token endpoints. Needs the optional peer
// @nestjs/throttler, and ioredis for counting in Redis.
import './rate-limit.peers';

export { LiveKitTokenRateLimitModule } from './livekit-token-rate-limit.module';
export type {
  LiveKitTokenRateLimitModuleOptions,
  LiveKitTokenRateLimitRedisOptions,
} from './interfaces/livekit-token-rate-limit-module-options.interface';
export type {
  LiveKitRedisClusterOptions,
  LiveKitRedisConnectionOptions,
  LiveKitRedisNode,
  LiveKitRedisSentinelOptions,
} from '../common/redis-connection-options.interface';
export { LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS } from './livekit-token-rate-limit.constants';
export { RedisThrottlerStorage } from './redis-throttler.storage';
