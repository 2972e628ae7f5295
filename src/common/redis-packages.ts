import type * as BullMq from 'bullmq';
import type * as IoRedis from 'ioredis';
import { requireOptionalPeer } from './optional-peer';

/*
 * bullmq and ioredis are required on first use, not at import: together they are about 300 modules and
 * a quarter of a second of boot, which every app importing this library would pay with queue mode off;
 * and they are optional peers, absent from hosts that do not use Redis.
 */

/** The bullmq package, loaded on first call. */
export function bullMq(): typeof BullMq {
  return requireOptionalPeer<typeof BullMq>('bullmq', 'nest-livekit/queue');
}

/** The ioredis package, loaded on first call. */
export function ioRedis(): typeof IoRedis {
  return requireOptionalPeer<typeof IoRedis>('ioredis', 'Redis (nest-livekit/queue, or the rate limit counted in Redis)');
}
