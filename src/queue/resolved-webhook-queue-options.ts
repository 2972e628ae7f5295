import { hashTagOf, redactRedisUrl, ResolvedRedisConnection } from '../common/redis-connection';
import type { LiveKitWebhookQueueModuleOptions } from './interfaces/livekit-webhook-queue-module-options.interface';
import {
  DEFAULT_WEBHOOK_QUEUE_ATTEMPTS,
  DEFAULT_WEBHOOK_QUEUE_BACKOFF_DELAY_MS,
  DEFAULT_WEBHOOK_QUEUE_CLUSTER_PREFIX,
  DEFAULT_WEBHOOK_QUEUE_CONCURRENCY,
  DEFAULT_WEBHOOK_QUEUE_ENQUEUE_BATCH_SIZE,
  DEFAULT_WEBHOOK_QUEUE_ENQUEUE_TIMEOUT_MS,
  DEFAULT_WEBHOOK_QUEUE_KEEP_COMPLETED_COUNT,
  DEFAULT_WEBHOOK_QUEUE_KEEP_COMPLETED_SECONDS,
  DEFAULT_WEBHOOK_QUEUE_LOCK_DURATION_MS,
  DEFAULT_WEBHOOK_QUEUE_MAX_STALLED_COUNT,
  DEFAULT_WEBHOOK_QUEUE_NAME,
  DEFAULT_WEBHOOK_QUEUE_PREFIX,
  DEFAULT_WEBHOOK_QUEUE_REPLICATION_TIMEOUT_MS,
  DEFAULT_WEBHOOK_QUEUE_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS,
} from './livekit-webhook-queue.constants';
import { LiveKitWebhookQueueOptionsError } from './livekit-webhook-queue.errors';

/** {@link LiveKitWebhookQueueModuleOptions} checked once at boot, with every default applied. */
export class ResolvedWebhookQueueOptions {
  readonly enabled: boolean;
  /** Where Redis is; undefined when queue mode is off. */
  readonly redis: ResolvedRedisConnection | undefined;
  readonly queueName: string;
  readonly prefix: string;
  readonly attempts: number;
  readonly backoffDelayMs: number;
  readonly workers: boolean;
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly enqueueTimeoutMs: number;
  readonly enqueueBatchSize: number;
  readonly keepCompletedSeconds: number;
  readonly keepCompletedCount: number;
  readonly shutdownTimeoutMs: number;
  /** Replicas that must confirm an event's write before its webhook is answered; undefined: the primary's word is enough. */
  readonly replication: { readonly minReplicas: number; readonly timeoutMs: number } | undefined;

  constructor(options: LiveKitWebhookQueueModuleOptions) {
    this.enabled = options.enabled ?? true;
    const fail = (problem: string, fix: string) => new LiveKitWebhookQueueOptionsError(problem, fix);
    this.redis = this.enabled ? new ResolvedRedisConnection(options, fail) : undefined;
    this.queueName = name('queueName', options.queueName ?? DEFAULT_WEBHOOK_QUEUE_NAME);
    const onCluster = this.redis?.topology === 'cluster';
    this.prefix = nonEmpty('prefix', options.prefix ?? (onCluster ? DEFAULT_WEBHOOK_QUEUE_CLUSTER_PREFIX : DEFAULT_WEBHOOK_QUEUE_PREFIX));
    if (onCluster && hashTagOf(this.prefix) === undefined) {
      // Every script of BullMQ touches several keys of the queue: without a hash tag they land on different slots (CROSSSLOT).
      throw new LiveKitWebhookQueueOptionsError(
        `prefix ${JSON.stringify(this.prefix)} has no hash tag, so on Redis Cluster the queue's keys would be spread over slots`,
        `put it in braces, e.g. prefix: '{${this.prefix.replace(/[{}]/g, '') || 'lk-webhooks'}}' (standalone: WEBHOOK_QUEUE_PREFIX)`,
      );
    }
    this.attempts = positive('attempts', options.attempts ?? DEFAULT_WEBHOOK_QUEUE_ATTEMPTS);
    this.backoffDelayMs = positive('backoffDelayMs', options.backoffDelayMs ?? DEFAULT_WEBHOOK_QUEUE_BACKOFF_DELAY_MS);
    this.workers = options.workers ?? true;
    this.concurrency = positive('concurrency', options.concurrency ?? DEFAULT_WEBHOOK_QUEUE_CONCURRENCY);
    this.lockDurationMs = positive('lockDurationMs', options.lockDurationMs ?? DEFAULT_WEBHOOK_QUEUE_LOCK_DURATION_MS);
    this.stalledIntervalMs = positive('stalledIntervalMs', options.stalledIntervalMs ?? DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS);
    this.maxStalledCount = positive('maxStalledCount', options.maxStalledCount ?? DEFAULT_WEBHOOK_QUEUE_MAX_STALLED_COUNT);
    this.enqueueTimeoutMs = positive('enqueueTimeoutMs', options.enqueueTimeoutMs ?? DEFAULT_WEBHOOK_QUEUE_ENQUEUE_TIMEOUT_MS);
    this.enqueueBatchSize = positive('enqueueBatchSize', options.enqueueBatchSize ?? DEFAULT_WEBHOOK_QUEUE_ENQUEUE_BATCH_SIZE);
    this.keepCompletedSeconds = positive(
      'keepCompletedSeconds',
      options.keepCompletedSeconds ?? DEFAULT_WEBHOOK_QUEUE_KEEP_COMPLETED_SECONDS,
    );
    this.keepCompletedCount = positive('keepCompletedCount', options.keepCompletedCount ?? DEFAULT_WEBHOOK_QUEUE_KEEP_COMPLETED_COUNT);
    this.shutdownTimeoutMs = positive('shutdownTimeoutMs', options.shutdownTimeoutMs ?? DEFAULT_WEBHOOK_QUEUE_SHUTDOWN_TIMEOUT_MS);
    this.replication = options.replication
      ? {
          minReplicas: positive('replication.minReplicas', options.replication.minReplicas),
          timeoutMs: positive('replication.timeoutMs', options.replication.timeoutMs ?? DEFAULT_WEBHOOK_QUEUE_REPLICATION_TIMEOUT_MS),
        }
      : undefined;
  }

  /** Where Redis is, without secrets, for logs. */
  get redisDescription(): string {
    return this.redis?.description ?? 'none';
  }
}

/** `redis://user:secret@host` → `redis://user:***@host`. */
export const redactUrl = redactRedisUrl;

function positive(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new LiveKitWebhookQueueOptionsError(`${option} must be a positive integer, got ${value}`, `set ${option} to a positive integer`);
  }
  return value;
}

function name(option: string, value: string): string {
  if (!value || value.includes(':')) {
    throw new LiveKitWebhookQueueOptionsError(
      `${option} ${JSON.stringify(value)} is empty or contains ':'`,
      `set ${option} to a name without ':'`,
    );
  }
  return value;
}

function nonEmpty(option: string, value: string): string {
  if (!value.trim()) throw new LiveKitWebhookQueueOptionsError(`${option} is empty`, `set ${option} to a non-empty string or leave it out`);
  return value;
}
