import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { hostname } from 'node:os';
import type { LiveKitRedisClient } from '../common/redis-connection';
import { bullMq } from '../common/redis-packages';
import { ConnectionEpoch, connectionOwning, watchPrimary } from '../common/redis-primary';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import type { VerifiedWebhookDelivery } from '../webhook/interfaces/verified-delivery.interface';
import { GroupCommit } from './group-commit';
import { waitForReplicas } from './replica-wait';
import { LiveKitWebhookQueueDisabledError, LiveKitWebhookQueueUnavailableException } from './livekit-webhook-queue.errors';
import { RedisOutageLog } from './redis-outage.log';
import { reconnectDelay } from './redis-reconnect';
import { ResolvedWebhookQueueOptions } from './resolved-webhook-queue-options';
import { toJobData, toJobId, type WebhookJobData, webhookJobOptions } from './webhook-job';
import { withTimeout } from '../common/with-timeout';

const PROBE_TIMEOUT_MS = 1000;

/** Why the queue is not ready, by topology. */
const UNREADY_REASONS = {
  single: 'webhook queue Redis does not answer PING',
  sentinel: 'no Redis primary answers through the sentinels: a failover may be electing one; webhooks answer 503 until it is done',
  cluster: "no Redis Cluster primary answers for the queue's slot: a failover may be electing one; webhooks answer 503 until it is done",
} as const;

/** What readiness reports about the queue's Redis. */
export type LiveKitWebhookQueueRedisState = { ready: true } | { ready: false; reason: string };

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
  private producer: LiveKitRedisClient | undefined;
  private epoch: ConnectionEpoch | undefined;
  private bullQueue: Queue<WebhookJobData> | undefined;
  private writer: GroupCommit<WebhookJob> | undefined;
  private waitingOnReplicas = 0;

  constructor(
    private readonly options: ResolvedWebhookQueueOptions,
    private readonly outage: RedisOutageLog,
    @Optional() private readonly telemetry: LiveKitTelemetry = new LiveKitTelemetry(),
  ) {}

  /** Whether queue mode is on; when off, the webhook runs handlers inline and this queue opens no connection. */
  get enabled(): boolean {
    return this.options.enabled;
  }

  onModuleInit(): void {
    const { redis, queueName, prefix } = this.options;
    if (!this.options.enabled || !redis) return;
    const producer = redis.create(
      { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      { retryStrategy: reconnectDelay, connectionName: `livekit-webhooks:producer:${hostname()}:${process.pid}` },
    );
    this.producer = producer;
    this.epoch = new ConnectionEpoch(producer);
    producer.on('error', (error: Error) => this.outage.error(error, 'producer'));
    producer.on('ready', () => this.outage.ready());
    watchPrimary(producer, this.slotKey, (previous, next) => {
      this.logger.warn(`Redis primary of the webhook queue changed (failover): ${previous} → ${next}`);
      this.telemetry.redisPrimaryChanged('webhook-queue');
    });
    const bullQueue = new (bullMq().Queue<WebhookJobData>)(queueName, {
      connection: producer,
      prefix,
      defaultJobOptions: webhookJobOptions(this.options),
    });
    // The producer's own listener logs outages; without this one, an 'error' re-emitted by BullMQ would crash the process.
    bullQueue.on('error', () => undefined);
    this.bullQueue = bullQueue;
    // A batch that hangs would hold back every later one: past the enqueue timeout its events are refused and the next batch goes.
    this.writer = new GroupCommit<WebhookJob>((jobs) => withTimeout(this.write(bullQueue, jobs), this.writeTimeoutMs, this.tooSlow), {
      maxBatchSize: this.options.enqueueBatchSize,
      keyOf: (job) => job.opts.jobId,
    });
    const replication = this.options.replication;
    const acknowledged = replication
      ? `acknowledged once ${replication.minReplicas} replica(s) hold an event (within ${replication.timeoutMs} ms)`
      : 'acknowledged once the primary holds an event';
    this.logger.log(`durable webhook mode: queue ${prefix}:${queueName} on ${redis.description} (${redis.topology}); ${acknowledged}`);
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
      await withTimeout(writer.submit(job), this.writeTimeoutMs, this.tooSlow);
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
    return (await this.redisState()).ready;
  }

  /**
   * Whether the queue's primary answers a PING within a second, and if not why, in the topology's terms:
   * while Sentinel or Cluster elects a new primary the queue is "not ready" with that reason (webhooks
   * answer 503 meanwhile and LiveKit retries). Never throws.
   */
  async redisState(): Promise<LiveKitWebhookQueueRedisState> {
    const producer = this.producer;
    const topology = this.options.redis?.topology;
    if (!producer || !topology) return { ready: false, reason: 'queue mode is off' };
    const primary = producer.status === 'ready' ? connectionOwning(producer, this.slotKey) : undefined;
    const down: LiveKitWebhookQueueRedisState = { ready: false, reason: UNREADY_REASONS[topology] };
    if (!primary || primary.status !== 'ready') return down;
    try {
      await withTimeout(primary.ping(), PROBE_TIMEOUT_MS, () => new Error('PING timed out'));
      const replication = this.options.replication;
      if (!replication) return { ready: true };
      // Acknowledged means replicated: without enough replicas every webhook would answer 503.
      const role = (await withTimeout(primary.call('ROLE'), PROBE_TIMEOUT_MS, () => new Error('ROLE timed out'))) as unknown[];
      const replicas = Array.isArray(role[2]) ? role[2].length : 0;
      if (role[0] === 'master' && replicas >= replication.minReplicas) return { ready: true };
      return {
        ready: false,
        reason: `the Redis primary has ${replicas} replica(s) connected, fewer than replication.minReplicas (${replication.minReplicas}): webhooks answer 503 until one (re)joins`,
      };
    } catch {
      return down;
    }
  }

  /** Events whose write is done and whose webhooks wait for replicas to confirm it (`replication`). */
  get writesWaitingOnReplicas(): number {
    return this.waitingOnReplicas;
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
    this.epoch = undefined;
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

  /** A key of the queue: every key of the queue is in its slot on Cluster (the prefix's hash tag). */
  private get slotKey(): string {
    return `${this.options.prefix}:${this.options.queueName}:id`;
  }

  /** How long an event may take to be written, and with `replication`, confirmed by the replicas. */
  private get writeTimeoutMs(): number {
    return this.options.enqueueTimeoutMs + (this.options.replication?.timeoutMs ?? 0);
  }

  /** Writes a batch; with `replication`, resolves only once enough replicas hold it. */
  private async write(queue: Queue<WebhookJobData>, jobs: WebhookJob[]): Promise<void> {
    const replication = this.options.replication;
    const producer = this.producer;
    const epoch = this.epoch;
    if (!replication || !producer || !epoch) {
      await addJobs(queue, jobs);
      return;
    }
    this.waitingOnReplicas += jobs.length;
    try {
      await waitForReplicas({
        write: () => addJobs(queue, jobs),
        connection: () => connectionOwning(producer, this.slotKey),
        epoch: () => epoch.value,
        ...replication,
        onSettled: (outcome, seconds) => this.telemetry.replicaWaitSettled(outcome, seconds),
      });
    } finally {
      this.waitingOnReplicas -= jobs.length;
    }
  }

  private readonly tooSlow = (): LiveKitWebhookQueueUnavailableException =>
    new LiveKitWebhookQueueUnavailableException(`Redis did not answer within ${this.writeTimeoutMs} ms`);

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
