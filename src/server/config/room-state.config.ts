import { Logger } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import type { LiveKitRoomStateModuleOptions } from '../../room-state';
import { loadAdminApiOptions } from './admin-api.config';
import { ConfigValidationError } from './config.errors';
import { loadRedisConnection } from './redis.config';
import { type Env, readDurationMs, readEnum, readPositiveInt, readString } from './env-readers';

/** Whether the standalone server keeps the room state: ROOM_STATE_ENABLED set to anything but `false`. */
export function isRoomStateRequested(env: Env): boolean {
  const raw = readString(env, 'ROOM_STATE_ENABLED');
  return raw !== undefined && raw.toLowerCase() !== 'false';
}

/**
 * Reads the room state settings. Its routes (`/rooms-state`, the SSE stream) sit behind the admin token,
 * so ADMIN_API_TOKEN is required and checked as for the admin API. The store is Redis when
 * ROOM_STATE_STORE=redis, or by default when WEBHOOK_MODE=queue (on ROOM_STATE_REDIS_URL, else the server's
 * Redis in any topology); memory otherwise.
 */
export function loadRoomStateOptions(env: Env, logger = new Logger('RoomStateConfig')): LiveKitRoomStateModuleOptions {
  if (readEnum(env, 'ROOM_STATE_ENABLED', ['true', 'false'], 'false') === 'false') return {};
  const { adminToken } = loadAdminApiOptions({ ...env, ADMIN_API_ENABLED: 'true' }, logger);
  const durable = readString(env, 'WEBHOOK_MODE')?.toLowerCase() === 'queue';
  const store = readEnum(env, 'ROOM_STATE_STORE', ['memory', 'redis'], durable ? 'redis' : 'memory');
  const roomStateUrl = readString(env, 'ROOM_STATE_REDIS_URL');
  if (roomStateUrl !== undefined && !/^rediss?:\/\//i.test(roomStateUrl)) {
    throw new ConfigValidationError(
      'ROOM_STATE_REDIS_URL',
      'is not a redis:// or rediss:// URL',
      'write redis://[user:password@]host:port[/db]',
    );
  }
  // Its own Redis, or the server's (REDIS_URL, REDIS_SENTINELS… or REDIS_CLUSTER_NODES), as durable mode uses it.
  const redis = roomStateUrl !== undefined ? { url: roomStateUrl } : loadRedisConnection(env);
  if (store === 'redis' && !redis) {
    throw new ConfigValidationError(
      'ROOM_STATE_REDIS_URL',
      'is required when ROOM_STATE_STORE=redis',
      'set it, or REDIS_URL (REDIS_SENTINELS or REDIS_CLUSTER_NODES), to where Redis is',
    );
  }
  const options: LiveKitRoomStateModuleOptions = {
    adminToken,
    store,
    redis: store === 'redis' ? redis : undefined,
    keyPrefix: readString(env, 'ROOM_STATE_KEY_PREFIX'),
    reconcileIntervalMs: readDurationMs(env, 'ROOM_STATE_RECONCILE_INTERVAL', 30_000),
    sseMaxClients:
      readString(env, 'ROOM_STATE_SSE_MAX_CLIENTS') === undefined ? undefined : readPositiveInt(env, 'ROOM_STATE_SSE_MAX_CLIENTS', 1),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

export const roomStateConfig = registerAs('roomState', () => loadRoomStateOptions(process.env));
