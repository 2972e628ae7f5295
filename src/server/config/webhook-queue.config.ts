import { registerAs } from '@nestjs/config';
import type { LiveKitWebhookQueueModuleOptions } from '../../queue';
import { ConfigValidationError } from './config.errors';
import { type Env, readEnum, readPositiveInt, readString } from './env-readers';

export const WEBHOOK_MODES = ['inline', 'queue'] as const;
export type WebhookMode = (typeof WEBHOOK_MODES)[number];

/**
 * Reads the webhook mode and, for `WEBHOOK_MODE=queue`, the Redis queue settings. Unset settings are left
 * out, so that the module's defaults apply.
 */
export function loadWebhookQueueOptions(env: Env): LiveKitWebhookQueueModuleOptions {
  const mode = readEnum(env, 'WEBHOOK_MODE', WEBHOOK_MODES, 'inline');
  const url = readString(env, 'REDIS_URL');
  if (mode === 'inline') return { enabled: false };
  if (!url) {
    throw new ConfigValidationError(
      'REDIS_URL',
      'is required when WEBHOOK_MODE=queue',
      'set REDIS_URL=redis://host:6379 (rediss:// for TLS)',
    );
  }
  if (!/^rediss?:\/\//i.test(url)) {
    throw new ConfigValidationError(
      'REDIS_URL',
      'is not a redis:// or rediss:// URL',
      'write REDIS_URL=redis://[user:password@]host:port[/db]',
    );
  }
  const int = (name: string): number | undefined => (readString(env, name) === undefined ? undefined : readPositiveInt(env, name, 1));
  const options: LiveKitWebhookQueueModuleOptions = {
    enabled: true,
    url,
    queueName: readString(env, 'WEBHOOK_QUEUE_NAME'),
    prefix: readString(env, 'WEBHOOK_QUEUE_PREFIX'),
    workers: readEnum(env, 'WEBHOOK_QUEUE_WORKERS', ['true', 'false'], 'true') === 'true',
    attempts: int('WEBHOOK_QUEUE_ATTEMPTS'),
    backoffDelayMs: int('WEBHOOK_QUEUE_BACKOFF_MS'),
    concurrency: int('WEBHOOK_QUEUE_CONCURRENCY'),
    lockDurationMs: int('WEBHOOK_QUEUE_LOCK_DURATION_MS'),
    stalledIntervalMs: int('WEBHOOK_QUEUE_STALLED_INTERVAL_MS'),
    maxStalledCount: int('WEBHOOK_QUEUE_MAX_STALLED_COUNT'),
    enqueueTimeoutMs: int('WEBHOOK_QUEUE_ENQUEUE_TIMEOUT_MS'),
    enqueueBatchSize: int('WEBHOOK_QUEUE_ENQUEUE_BATCH_SIZE'),
    keepCompletedSeconds: int('WEBHOOK_QUEUE_KEEP_COMPLETED_SECONDS'),
    keepCompletedCount: int('WEBHOOK_QUEUE_KEEP_COMPLETED_COUNT'),
    shutdownTimeoutMs: int('WEBHOOK_QUEUE_SHUTDOWN_TIMEOUT_MS'),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

export const webhookQueueConfig = registerAs('webhookQueue', () => loadWebhookQueueOptions(process.env));
