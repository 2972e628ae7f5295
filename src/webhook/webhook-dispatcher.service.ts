import { Injectable, Logger, Optional } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { DeliveryLedger, type DeliveryProgress } from './delivery-ledger';
import { LiveKitWebhookHandlerFailedException, LiveKitWebhookHandlerTimeoutException } from './livekit-webhook.errors';
import { type LiveKitEventHandler, LiveKitEventHandlerRegistry } from './webhook-handler.registry';

export type DispatchOutcome = 'processed' | 'duplicate';

/**
 * Runs the handlers of a verified event before the webhook is acknowledged, so that nothing
 * acknowledged is lost:
 * - each handler runs at most once per event id, also across LiveKit's redeliveries;
 * - a handler that throws makes the delivery answer 500: LiveKit retries and only the failed handlers run again;
 * - handlers still running after `webhookHandlerTimeoutMs` make it answer 503: they keep running,
 *   and the retry waits for them instead of starting them again.
 */
@Injectable()
export class LiveKitWebhookDispatcher {
  private readonly logger = new Logger('LiveKitWebhook');
  private readonly ledger = new DeliveryLedger();

  constructor(
    private readonly registry: LiveKitEventHandlerRegistry,
    private readonly livekit: ResolvedLiveKitOptions,
    @Optional() private readonly telemetry: LiveKitTelemetry = new LiveKitTelemetry(),
  ) {}

  async dispatch(event: WebhookEvent, dedupeKey: string): Promise<DispatchOutcome> {
    const progress = this.ledger.progressOf(dedupeKey);
    if (progress.complete) {
      this.telemetry.webhookDuplicate(event.event);
      return 'duplicate';
    }
    const pending = this.registry
      .handlersFor(event.event)
      .filter((handler) => !progress.done.has(handler.id))
      .map((handler) => progress.running.get(handler.id) ?? this.start(handler, event, progress));
    const results = await this.withinTimeout(Promise.allSettled(pending)).catch((error: unknown) => {
      if (error instanceof LiveKitWebhookHandlerTimeoutException) this.telemetry.webhookTimedOut(event.event);
      throw error;
    });
    const failed = this.registry
      .handlersFor(event.event)
      .filter((handler) => !progress.done.has(handler.id))
      .map((handler) => handler.id);
    if (results.some((r) => r.status === 'rejected') || failed.length > 0) {
      throw new LiveKitWebhookHandlerFailedException(failed);
    }
    progress.complete = true;
    return 'processed';
  }

  private start(handler: LiveKitEventHandler, event: WebhookEvent, progress: DeliveryProgress): Promise<void> {
    const run = (async () => {
      await handler.handle(event);
      progress.done.add(handler.id);
    })()
      .catch((error: unknown) => {
        this.logger.error(`handler ${handler.id} failed on ${event.event} ${event.id}: ${(error as Error)?.message ?? String(error)}`);
        throw error;
      })
      .finally(() => progress.running.delete(handler.id));
    progress.running.set(handler.id, run);
    return run;
  }

  private async withinTimeout<T>(work: Promise<T>): Promise<T> {
    const timeoutMs = this.livekit.webhookHandlerTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LiveKitWebhookHandlerTimeoutException(timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
