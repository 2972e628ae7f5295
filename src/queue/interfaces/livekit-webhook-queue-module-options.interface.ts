import type { LiveKitRedisConnectionOptions } from '../../common/redis-connection-options.interface';

/** What {@link LiveKitWebhookQueueModuleOptions.replication} asks of the replicas. */
export interface LiveKitWebhookQueueReplicationOptions {
  /** Replicas that must hold an event's write (Redis `WAIT`) before its webhook is answered 200. */
  minReplicas: number;
  /**
   * Longest wait for them, in ms; past it the webhook answers 503 and LiveKit retries (the event stays
   * queued on the primary and runs once). Added to `enqueueTimeoutMs`.
   * @default 1000
   */
  timeoutMs?: number;
}

/**
 * Options of {@link LiveKitWebhookQueueModule}: durable webhook mode. Verified events are written to a
 * BullMQ queue on Redis before LiveKit gets its 200, and workers in every instance run the handlers.
 * Redis is one of `url`, `sentinel` or `cluster` (required when enabled); every instance that shares it
 * shares the queue. On the worker's and producer's connections `retryStrategy` defaults to reconnecting
 * after 0.1 s, 0.2 s … then every second.
 */
export interface LiveKitWebhookQueueModuleOptions extends LiveKitRedisConnectionOptions {
  /**
   * Turn queue mode on. When false the module opens no connection and the webhook stays inline,
   * so one configuration can switch modes (the standalone server's `WEBHOOK_MODE`).
   * @default true
   */
  enabled?: boolean;
  /**
   * Name of the BullMQ queue.
   * @default 'livekit-webhooks'
   */
  queueName?: string;
  /**
   * Prefix of every Redis key of the queue (`<prefix>:<queueName>:…`). On Redis Cluster it must carry a
   * hash tag (`{lk-webhooks}`), so that every key of the queue is in one slot; boot fails otherwise.
   * @default 'bull' ('{bull}' on Cluster)
   */
  prefix?: string;
  /**
   * Runs of an event's handlers before the event becomes a dead letter (kept in the failed set).
   * @default 8
   */
  attempts?: number;
  /**
   * First retry delay in ms; it doubles on every further attempt (exponential backoff):
   * with the defaults 1, 2, 4 … 64 s, about two minutes in all.
   * @default 1000
   */
  backoffDelayMs?: number;
  /**
   * Run workers in this instance. Set false for instances that only receive webhooks.
   * @default true
   */
  workers?: boolean;
  /**
   * Events processed at the same time by this instance's worker.
   * @default 10
   */
  concurrency?: number;
  /**
   * How long a worker's lock on an event lasts, in ms; it is renewed every `lockDurationMs / 2` while the
   * handlers run. When an instance dies (SIGKILL, OOM, lost host) or loses the reply of the command that
   * handed it an event (Redis died at that instant), another instance takes the event over once the lock
   * has expired and a stalled check has run: after at most `lockDurationMs + stalledIntervalMs` (6 s with
   * the defaults). An event loop blocked, or a Redis outage, longer than the lock lets another instance run
   * the event again: raise it if your handlers block the event loop for seconds.
   * @default 5000
   */
  lockDurationMs?: number;
  /**
   * How often the workers look for events whose lock expired, in ms (one check per interval across all
   * instances: BullMQ skips a check another worker just ran).
   * @default 1000
   */
  stalledIntervalMs?: number;
  /**
   * Times an event may be taken over from a dead instance before it becomes a dead letter
   * (protects against an event that kills every process running it).
   * @default 1
   */
  maxStalledCount?: number;
  /**
   * Longest wait for Redis to take an event, in ms; past it the webhook answers 503 and LiveKit
   * retries. Keep it well under LiveKit's webhook timeout: its queue is serial.
   * @default 2000
   */
  enqueueTimeoutMs?: number;
  /**
   * Most events written to Redis in one round trip. Webhooks that arrive while a write is in flight
   * are written together by the next one (group commit); each is still answered only once Redis holds
   * it. 1 writes one event at a time.
   * @default 100
   */
  enqueueBatchSize?: number;
  /**
   * How long processed events are remembered, in seconds, so that a late redelivery of the same event id
   * is acknowledged without running again.
   * @default 86400
   */
  keepCompletedSeconds?: number;
  /**
   * At most this many processed events are remembered (bounds Redis memory under heavy traffic;
   * the oldest are forgotten first, even before `keepCompletedSeconds`).
   * @default 100000
   */
  keepCompletedCount?: number;
  /**
   * On shutdown, how long to wait for running handlers before closing anyway, in ms. Events whose
   * handlers did not finish are taken over by another instance once their lock expires.
   * @default 10000
   */
  shutdownTimeoutMs?: number;
  /**
   * Acknowledged means replicated: answer a webhook 200 only once its event's write reached at least
   * `minReplicas` replicas (Redis `WAIT` on the connection that wrote it, on Cluster the primary owning
   * the queue's slot), and 503 (LiveKit retries) when they do not confirm within `timeoutMs`. Without it, an
   * event acknowledged just before its primary dies can be lost with it even though a replica takes over.
   * Recommended on Sentinel and Cluster; pointless on a single node (no replica: every webhook would answer 503).
   * @default undefined (acknowledged once the primary holds the event)
   */
  replication?: LiveKitWebhookQueueReplicationOptions;
}
