import type * as BullMq from 'bullmq';
import type * as IoRedis from 'ioredis';

/*
 * bullmq and ioredis are required on first use, not at import: together they are about 300 modules and
 * a quarter of a second of boot, which every app importing this library would pay with queue mode off.
 */

/** The bullmq package, loaded on first call. */
export function bullMq(): typeof BullMq {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('bullmq') as typeof BullMq;
}

/** The ioredis package, loaded on first call. */
export function ioRedis(): typeof IoRedis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ioredis') as typeof IoRedis;
}
