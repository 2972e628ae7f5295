import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { hostname } from 'node:os';
import type { LiveKitRedisClient } from '../common/redis-connection';
import { bullMq } from '../common/redis-packages';
import { LiveKitEventHandlerRegistry } from '../webhook/webhook-handler.registry';
import { LiveKitWebhookQueue } from './livekit-webhook-queue.service';
import { RedisOutageLog } from './redis-outage.log';
import { reconnectDelay } from './redis-reconnect';
import { ResolvedWebhookQueueOptions } from './resolved-webhook-queue-options';
import type { WebhookJobData } from './webhook-job';
import { WebhookJobProcessor } from './webhook-job.processor';
import { withTimeout } from '../common/with-timeout';
import { lostLockJobId, WorkerLockLog } from './worker-lock.log';

/**
 * This instance's BullMQ worker: takes queued events (from any instance) and runs the registered
 * `@OnLiveKitEvent` handlers, with retries and exponential backoff; an event that fails every attempt
 * stays in the failed set as a dead letter. It starts once handler discovery is complete, and on shutdown
 * stops taking events and waits (up to `shutdownTimeoutMs`) for the running handlers.
 */
@Injectable()
export class LiveKitWebhookQueueWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LiveKitWebhookQueue');
  private readonly processor: WebhookJobProcessor;
  private worker: Worker<WebhookJobData> | undefined;
  /** The worker's own connection (BullMQ opens and closes its blocking one itself). */
  private connection: LiveKitRedisClient | undefined;
  /**
   * Events whose handlers are running in this process. Counted around the handlers themselves, not from
   * BullMQ's `completed`/`failed` events, which never come for an event whose completion Redis refused.
   */
  private readonly handling = new Set<string>();
  private readonly workerName = `${hostname()}:${process.pid}`;
  private readonly lockLog: WorkerLockLog;

  constructor(
    private readonly options: ResolvedWebhookQueueOptions,
    private readonly registry: LiveKitEventHandlerRegistry,
    private readonly outage: RedisOutageLog,
    queue: LiveKitWebhookQueue,
  ) {
    this.processor = new WebhookJobProcessor(registry);
    this.lockLog = new WorkerLockLog(
      options.lockDurationMs + options.stalledIntervalMs,
      () => queue.queue,
      () => outage.lastConnectionErrorAt,
    );
  }

  /** Whether this instance runs a worker (queue mode on and `workers` not false). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  onApplicationBootstrap(): void {
    const options = this.options;
    if (!options.enabled || !options.workers || !options.redis) return;
    // Unlike the producer, the worker's connections queue commands while Redis is away, so that handlers
    // that finish during an outage still complete their event once it returns.
    const connection = options.redis.create(
      { maxRetriesPerRequest: null },
      { retryStrategy: reconnectDelay, connectionName: `livekit-webhooks:worker:${hostname()}:${process.pid}` },
    );
    // BullMQ re-emits this connection's errors as the worker's (logged below): no second log line here.
    connection.on('error', () => undefined);
    this.connection = connection;
    const worker = new (bullMq().Worker<WebhookJobData>)(options.queueName, (job: Job<WebhookJobData>) => this.process(job), {
      connection,
      prefix: options.prefix,
      name: this.workerName,
      autorun: false,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount,
    });
    worker.on('error', (error) => {
      const jobId = lostLockJobId(error);
      if (jobId !== undefined) return void this.lockLog.lostLock(jobId, error);
      this.outage.error(error, 'worker');
    });
    worker.on('failed', (job, error) => this.onFailed(job, error));
    worker.on('stalled', (jobId) => this.lockLog.stalled(jobId));
    this.worker = worker;
    // Discovery runs in the same bootstrap phase, maybe after this hook: wait for it without blocking it.
    void this.registry.complete.then(() => {
      if (this.worker !== worker) return;
      worker.run().catch((error: unknown) => this.logger.error(`webhook worker stopped: ${(error as Error)?.message ?? String(error)}`));
    });
  }

  /**
   * Stops taking events and lets the events being processed finish (handlers and the write that
   * completes them), up to `shutdownTimeoutMs`; what does not finish in time is taken over elsewhere.
   * Runs at the first shutdown hook, while the host's own providers (database pools…) are still open.
   */
  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    const connection = this.connection;
    this.worker = undefined;
    this.connection = undefined;
    if (!worker) return;
    try {
      await this.drain(worker);
    } finally {
      // BullMQ leaves a connection it was given open: ours to close.
      if (connection) await withTimeout(connection.quit(), 1000, () => new Error('timeout')).catch(() => connection.disconnect());
    }
  }

  private async drain(worker: Worker<WebhookJobData>): Promise<void> {
    void worker.pause(true).catch(() => undefined);
    const deadline = Date.now() + this.options.shutdownTimeoutMs;
    while (this.handling.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    const unfinished = this.handling.size;
    if (unfinished > 0) {
      this.logger.warn(
        `${unfinished} event(s) still being processed after ${this.options.shutdownTimeoutMs} ms of shutdown; ` +
          'another instance takes them over when their lock expires',
      );
    }
    // Handlers done and Redis reachable: BullMQ's close waits for the writes that record their outcome. Otherwise
    // (or past 2 s) it closes at once: a graceful close keeps reconnecting to a Redis that is away.
    const force = unfinished > 0 || this.outage.isDown;
    const closed = await withTimeout(worker.close(force), 2000, () => new Error('timeout')).then(
      () => true,
      () => false,
    );
    if (!closed) await withTimeout(worker.disconnect(), 1000, () => new Error('timeout')).catch(() => undefined);
  }

  private async process(job: Job<WebhookJobData>): Promise<void> {
    const id = job.id ?? '';
    this.handling.add(id);
    try {
      await this.processor.process(job);
    } finally {
      this.handling.delete(id);
    }
  }

  private onFailed(job: Job<WebhookJobData> | undefined, error: Error): void {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const eventId = job.data.eventId;
    if (error instanceof bullMq().UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= attempts) {
      this.logger.error(
        `event ${eventId} (${job.name}) is a dead letter after ${job.attemptsMade} attempt(s): ${error.message}. ` +
          'Replay it with LiveKitWebhookDeadLetters once the cause is fixed',
      );
    } else {
      this.logger.warn(`event ${eventId} (${job.name}) attempt ${job.attemptsMade}/${attempts} failed; it will be retried`);
    }
  }
}
