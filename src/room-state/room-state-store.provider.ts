import { Logger, type Provider } from '@nestjs/common';
import { ResolvedRedisConnection } from '../common/redis-connection';
import { LiveKitOptionsError } from '../livekit/livekit.errors';
import { ResolvedWebhookQueueOptions } from '../queue/resolved-webhook-queue-options';
import type { LiveKitRoomStateModuleOptions } from './interfaces/livekit-room-state-module-options.interface';
import {
  DEFAULT_FINISHED_ROOM_RETENTION_MS,
  DEFAULT_ROOM_STATE_KEY_PREFIX,
  LIVEKIT_ROOM_STATE_OPTIONS,
} from './livekit-room-state.constants';
import { ROOM_STATE_STORE } from './livekit-room-state.internal-constants';
import { MemoryRoomStateStore } from './memory-room-state.store';
import { RedisRoomStateStore } from './redis-room-state.store';
import type { RoomStateStore } from './room-state.store';

/**
 * The store the options ask for: Redis with `store: 'redis'` or `redis`, or when durable webhook mode
 * is on (its Redis, unless `store: 'memory'`); memory otherwise.
 */
export function createRoomStateStore(options: LiveKitRoomStateModuleOptions, queue?: ResolvedWebhookQueueOptions | null): RoomStateStore {
  const durable = queue?.enabled ? queue : undefined;
  const store = options.store ?? (options.redis || durable ? 'redis' : 'memory');
  const finishedRetentionMs = options.finishedRoomRetentionMs ?? DEFAULT_FINISHED_ROOM_RETENTION_MS;
  if (!Number.isFinite(finishedRetentionMs) || finishedRetentionMs <= 0) {
    throw new LiveKitOptionsError(`finishedRoomRetentionMs must be a positive number, got ${finishedRetentionMs}`, 'set it in ms');
  }
  if (store === 'memory') return new MemoryRoomStateStore(finishedRetentionMs);
  const fail = (problem: string, fix: string) => new LiveKitOptionsError(`LiveKitRoomStateModule: redis ${problem}`, fix);
  const connection = options.redis ? new ResolvedRedisConnection(options.redis, fail) : durable?.redis;
  if (!connection) {
    throw new LiveKitOptionsError(
      "LiveKitRoomStateModule has store: 'redis' but no Redis",
      'pass redis: { url } (or sentinel, cluster; ROOM_STATE_REDIS_URL or REDIS_URL… in the standalone server), or register durable mode',
    );
  }
  const keyPrefix = options.keyPrefix ?? DEFAULT_ROOM_STATE_KEY_PREFIX;
  new Logger('LiveKitRoomState').log(`room state stored in Redis (${connection.description}) under ${keyPrefix}:*`);
  return new RedisRoomStateStore({
    connection,
    keyPrefix,
    finishedRetentionMs,
  });
}

export const roomStateStoreProvider: Provider = {
  provide: ROOM_STATE_STORE,
  useFactory: createRoomStateStore,
  inject: [LIVEKIT_ROOM_STATE_OPTIONS, { token: ResolvedWebhookQueueOptions, optional: true }],
};
