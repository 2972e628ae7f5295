import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import type { Gauge, Registry } from 'prom-client';
import { LiveKitWebhookQueue } from '../queue/livekit-webhook-queue.service';
import { LIVEKIT_METRICS_REGISTRY, METRIC_NAMES } from './livekit-metrics.constants';
import { gauge } from './metric-registration';

/** The part of the queue these gauges read. */
type QueueProbe = Pick<LiveKitWebhookQueue, 'enabled' | 'isRedisReady' | 'queueDepth' | 'deadLetterCount' | 'writesWaitingOnReplicas'>;

/**
 * Queue gauges, read from Redis at scrape time, registered only in queue mode (`LiveKitWebhookQueueModule`
 * registered and enabled). While Redis does not answer, depth and dead letters keep their last value and
 * `livekit_webhook_queue_redis_up` says 0: a scrape never fails because of Redis.
 */
@Injectable()
export class WebhookQueueMetrics implements OnModuleInit {
  constructor(
    @Inject(LIVEKIT_METRICS_REGISTRY) private readonly registry: Registry,
    @Optional() private readonly queue?: LiveKitWebhookQueue,
  ) {}

  onModuleInit(): void {
    const queue: QueueProbe | undefined = this.queue;
    if (!queue?.enabled) return;
    const keepLastOnError = (read: () => Promise<number>) =>
      async function (this: Gauge): Promise<void> {
        try {
          this.set(await read());
        } catch {
          // Redis unavailable: keep the last value; livekit_webhook_queue_redis_up tells.
        }
      };
    gauge(this.registry, {
      name: METRIC_NAMES.queueDepth,
      help: 'Webhook events in the durable queue not processed yet (waiting, active, delayed for a retry)',
      collect: keepLastOnError(() => queue.queueDepth()),
    });
    gauge(this.registry, {
      name: METRIC_NAMES.queueDeadLetters,
      help: 'Webhook events whose handlers failed on every attempt (dead letters)',
      collect: keepLastOnError(() => queue.deadLetterCount()),
    });
    gauge(this.registry, {
      name: METRIC_NAMES.queueRedisUp,
      help: '1 when the webhook queue Redis answers PING, 0 otherwise',
      collect: keepLastOnError(async () => ((await queue.isRedisReady()) ? 1 : 0)),
    });
    gauge(this.registry, {
      name: METRIC_NAMES.queueWaitingOnReplicas,
      help: 'Webhook events written to the queue whose answer waits for Redis replicas to confirm them (replication option)',
      async collect() {
        this.set(await Promise.resolve(queue.writesWaitingOnReplicas));
      },
    });
  }
}
