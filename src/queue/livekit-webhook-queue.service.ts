import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { bullMq, ioRedis } from '../common/redis-packages';
import type { VerifiedWebhookDelivery } from '../webhook/interfaces/verified-delivery.interface';
import { GroupCommit } from './group-commit';
import { LiveKitWebhookQueueDisabledError, LiveKitWebhookQueueUnavailableException } from './livekit-webhook-queue.errors';
import { RedisOutageLog } from './redis-outage.log';
import { reconnectDelay } from './redis-reconnect';
import { ResolvedWebhookQueueOptions } from './resolved-webhook-queue-options';
import { toJobData, toJobId, type WebhookJobData, webhookJobOptions } from './webhook-job';
import { withTimeout } from '../common/with-timeout';

const PROBE_TIMEOUT_MS = 1000;

interface WebhookJob {
  name: string;
  data: WebhookJobData;
  opts: { jobId: string };
}

/**
 * The durable queue of verified webhook events, shared by every instance on the same Redis.
 * `enqueue` resolves only once Redis holds the event; an event id already held (a redelivery, or the
 * same event posted to another instance) is the same job and is not added again. Also the seam for
 * health and metrics: {@link isRedisReady}, {@link queueDepth}, {@link deadLetterCount}.
 *
 * Its producer connection fails fast (no offline queue): while Redis is unreachable, webhooks answer 503
 * at once instead of piling up in memory, and LiveKit retries them.
 *
 * Events are written by group commit: one `addBulk` (one round trip) carries every event that arrived
 * while the previous one was in flight, at most `enqueueBatchSize`; an idle queue writes an event at once.
 */
@Injectable()
export class LiveKitWebhookQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LiveKitWebhookQueue');
  private producer: Redis | undefined;
  private bullQueue: Queue<WebhookJobData> | undefined;
  private writer: GroupCommit<WebhookJob> | undefined;

  constructor(
    private readonly options: ResolvedWebhookQueueOptions,
    private readonly outage: RedisOutageLog,
  ) {}

  /** Whether queue mode is on; when off, the webhook runs handlers inline and this queue opens no connection. */
  get enabled(): boolean {
    return this.options.enabled;
  }

  onModuleInit(): void {
    if (!this.options.enabled) return;
    const { url, redisOptions, queueName, prefix } = this.options;
    this.producer = new (ioRedis().Redis)(url, {
      retryStrategy: reconnectDelay,
      connectionName: `livekit-webhooks:producer:${hostname()}:${process.pid}`,
      ...redisOptions,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.producer.on('error', (error: Error) => this.outage.error(error, 'producer'));
    this.producer.on('ready', () => this.outage.ready());
    const bullQueue = new (bullMq().Queue<WebhookJobData>)(queueName, {
      connection: this.producer,
      prefix,
      defaultJobOptions: webhookJobOptions(this.options),
    });
    // The producer's own listener logs outages; without this one, an 'error' re-emitted by BullMQ would crash the process.
    bullQueue.on('error', () => undefined);
    this.bullQueue = bullQueue;
    // A batch that hangs would hold back every later one: past the enqueue timeout its events are refused and the next batch goes.
    this.writer = new GroupCommit<WebhookJob>(
      (jobs) => withTimeout(addJobs(bullQueue, jobs), this.options.enqueueTimeoutMs, this.tooSlow),
      {
        maxBatchSize: this.options.enqueueBatchSize,
        keyOf: (job) => job.opts.jobId,
      },
    );
    this.logger.log(`durable webhook mode: queue ${prefix}:${queueName} on ${this.options.redactedUrl}`);
  }

  /**
   * Stores a verified delivery, keyed by its event id, and resolves once Redis has it.
   * @throws LiveKitWebhookQueueUnavailableException (503) when Redis does not take it within `enqueueTimeoutMs`;
   * the Redis error goes to the server log (one error line per refused webhook), not to the answer.
   */
  async enqueue(delivery: VerifiedWebhookDelivery): Promise<'queued'> {
    const writer = this.writer;
    if (!writer) throw new LiveKitWebhookQueueDisabledError();
    const job: WebhookJob = {
      name: delivery.event.event || 'unknown',
      data: toJobData(delivery),
      opts: { jobId: toJobId(delivery.dedupeKey) },
    };
    try {
      await withTimeout(writer.submit(job), this.options.enqueueTimeoutMs, this.tooSlow);
    } catch (error) {
      const unavailable =
        error instanceof LiveKitWebhookQueueUnavailableException ? error : new LiveKitWebhookQueueUnavailableException(messageOf(error));
      this.logger.error(
        `webhook ${delivery.event.event} ${delivery.dedupeKey} answered 503, LiveKit will retry: the queue did not take it (${unavailable.detail})`,
      );
      throw unavailable;
    }
    return 'queued';
  }

  /** For readiness probes: true when Redis answers a PING within a second. Always false when queue mode is off. */
  async isRedisReady(): Promise<boolean> {
    if (!this.producer || this.producer.status !== 'ready') return false;
    try {
      await withTimeout(this.producer.ping(), PROBE_TIMEOUT_MS, () => new Error('PING timed out'));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Events not yet processed: waiting, being processed, or waiting for a retry. 0 when queue mode is off.
   * @throws LiveKitWebhookQueueUnavailableException when Redis does not answer within a second.
   */
  async queueDepth(): Promise<number> {
    if (!this.options.enabled) return 0;
    const counts = await this.probe(this.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized'));
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /**
   * Events whose handlers failed on every attempt (see `LiveKitWebhookDeadLetters`). 0 when queue mode is off.
   * @throws LiveKitWebhookQueueUnavailableException when Redis does not answer within a second.
   */
  async deadLetterCount(): Promise<number> {
    if (!this.options.enabled) return 0;
    return this.probe(this.queue.getFailedCount());
  }

  /** The BullMQ queue, for inspection and administration. @throws LiveKitWebhookQueueDisabledError when queue mode is off. */
  get queue(): Queue<WebhookJobData> {
    if (!this.bullQueue) throw new LiveKitWebhookQueueDisabledError();
    return this.bullQueue;
  }

  /** Runs after Nest closed the HTTP server: no webhook arrives any more; those still being written are finished first. */
  async onApplicationShutdown(): Promise<void> {
    const { bullQueue, producer, writer } = this;
    this.writer = undefined;
    this.bullQueue = undefined;
    this.producer = undefined;
    const ms = this.options.shutdownTimeoutMs;
    if (writer) await withTimeout(writer.idle(), ms, () => new Error('enqueue flush timed out')).catch(() => undefined);
    if (bullQueue) await withTimeout(bullQueue.close(), ms, () => new Error('queue close timed out')).catch(() => undefined);
    if (producer) {
      await withTimeout(producer.quit(), Math.min(ms, 2000), () => new Error('quit timed out')).catch(() => producer.disconnect());
    }
  }

  private readonly tooSlow = (): LiveKitWebhookQueueUnavailableException =>
    new LiveKitWebhookQueueUnavailableException(`Redis did not answer within ${this.options.enqueueTimeoutMs} ms`);

  private probe<T>(work: Promise<T>): Promise<T> {
    return withTimeout(work, PROBE_TIMEOUT_MS, () => new LiveKitWebhookQueueUnavailableException('Redis did not answer within 1 s'));
  }
}

/**
 * One round trip for any number of jobs: `addBulk` sends their adds in one pipeline, each add the same
 * script as `add`'s (a job id Redis already holds is left as it is). A lone job takes `add`, the cheaper path.
 */
function addJobs(queue: Queue<WebhookJobData>, jobs: WebhookJob[]): Promise<unknown> {
  const [only] = jobs;
  return jobs.length === 1 && only ? queue.add(only.name, only.data, only.opts) : queue.addBulk(jobs);
}

/** The message of an error of any realm (ioredis' connection errors are not always this realm's `Error`). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
