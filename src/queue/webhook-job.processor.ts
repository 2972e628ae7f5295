import { Logger } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import type { LiveKitEventHandlerRegistry } from '../webhook/webhook-handler.registry';
import { bullMq } from '../common/redis-packages';
import { LiveKitWebhookHandlersFailedError } from './livekit-webhook-queue.errors';
import { doneHandlersOf, eventOf, type WebhookJobData, type WebhookJobProgress } from './webhook-job';

/** The part of a BullMQ job the processor uses. */
export interface WebhookJobLike {
  readonly id?: string;
  readonly data: WebhookJobData;
  readonly progress: unknown;
  readonly attemptsMade: number;
  updateProgress(progress: WebhookJobProgress): Promise<void>;
}

/**
 * Runs one queued event through the same `@OnLiveKitEvent` handlers as the inline mode, in parallel.
 * A handler that throws fails the attempt; the handlers that succeeded are recorded on the job, so the
 * retry (and a replay of the dead letter) runs only the others. A body that is not an event can never
 * succeed: it goes straight to the dead letters.
 */
export class WebhookJobProcessor {
  private readonly logger = new Logger('LiveKitWebhookQueue');

  constructor(private readonly registry: LiveKitEventHandlerRegistry) {}

  async process(job: WebhookJobLike): Promise<void> {
    await this.registry.complete;
    let event: WebhookEvent;
    try {
      event = eventOf(job.data);
    } catch (error) {
      throw new (bullMq().UnrecoverableError)(`queued body of ${job.data.eventId} is not a LiveKit event: ${messageOf(error)}`);
    }
    const done = doneHandlersOf(job.progress);
    const pending = this.registry.handlersFor(event.event).filter((handler) => !done.has(handler.id));
    const results = await Promise.allSettled(pending.map((handler) => Promise.resolve().then(() => handler.handle(event))));
    const failures: { handler: string; message: string }[] = [];
    results.forEach((result, index) => {
      const handler = pending[index]?.id ?? '?';
      if (result.status === 'fulfilled') done.add(handler);
      else failures.push({ handler, message: messageOf(result.reason) });
    });
    if (failures.length === 0) return;
    for (const failure of failures) {
      this.logger.error(
        `handler ${failure.handler} failed on ${event.event} ${job.data.eventId} (attempt ${job.attemptsMade + 1}): ${failure.message}`,
      );
    }
    if (failures.length < pending.length) {
      // Best effort: if Redis is gone, the next attempt runs every handler again.
      await job.updateProgress({ done: [...done] }).catch((error: unknown) => {
        this.logger.warn(`could not record the handlers that succeeded on ${job.data.eventId}: ${messageOf(error)}`);
      });
    }
    throw new LiveKitWebhookHandlersFailedError(job.data.eventId, failures);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
