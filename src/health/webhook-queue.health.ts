import { Injectable, Optional } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { LiveKitWebhookQueue } from '../queue/livekit-webhook-queue.service';
import { HEALTH_MESSAGES, WEBHOOK_QUEUE_INDICATOR } from './livekit-health.constants';

/**
 * Readiness of the webhook queue's Redis, in queue mode only: without `LiveKitWebhookQueueModule`, or with
 * it disabled, the queue is optional here and this check is left out of readiness.
 */
@Injectable()
export class WebhookQueueHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Optional() private readonly queue?: LiveKitWebhookQueue,
  ) {}

  /** Whether the app runs in queue mode, so that readiness includes Redis. */
  get enabled(): boolean {
    return this.queue?.enabled === true;
  }

  async check(): Promise<HealthIndicatorResult<typeof WEBHOOK_QUEUE_INDICATOR>> {
    const session = this.indicator.check(WEBHOOK_QUEUE_INDICATOR);
    const state = await this.queue?.redisState().catch(() => undefined);
    return state?.ready === true ? session.up() : session.down({ message: state?.reason ?? HEALTH_MESSAGES.redisUnreachable });
  }
}
