/** Injection token of the {@link LiveKitWebhookQueueModuleOptions} given to `forRoot`/`forRootAsync`. */
export const LIVEKIT_WEBHOOK_QUEUE_OPTIONS = Symbol('LIVEKIT_WEBHOOK_QUEUE_OPTIONS');

export const DEFAULT_WEBHOOK_QUEUE_NAME = 'livekit-webhooks';
export const DEFAULT_WEBHOOK_QUEUE_PREFIX = 'bull';
/** On Redis Cluster the prefix needs a hash tag, so that every key of the queue is in one slot. */
export const DEFAULT_WEBHOOK_QUEUE_CLUSTER_PREFIX = '{bull}';
export const DEFAULT_WEBHOOK_QUEUE_REPLICATION_TIMEOUT_MS = 1000;
export const DEFAULT_WEBHOOK_QUEUE_ATTEMPTS = 8;
export const DEFAULT_WEBHOOK_QUEUE_BACKOFF_DELAY_MS = 1000;
export const DEFAULT_WEBHOOK_QUEUE_CONCURRENCY = 10;
export const DEFAULT_WEBHOOK_QUEUE_LOCK_DURATION_MS = 30_000;
export const DEFAULT_WEBHOOK_QUEUE_MAX_STALLED_COUNT = 1;
export const DEFAULT_WEBHOOK_QUEUE_ENQUEUE_TIMEOUT_MS = 2000;
export const DEFAULT_WEBHOOK_QUEUE_ENQUEUE_BATCH_SIZE = 100;
export const DEFAULT_WEBHOOK_QUEUE_KEEP_COMPLETED_SECONDS = 24 * 3600;
export const DEFAULT_WEBHOOK_QUEUE_KEEP_COMPLETED_COUNT = 100_000;
export const DEFAULT_WEBHOOK_QUEUE_SHUTDOWN_TIMEOUT_MS = 10_000;
