import { Injectable, Logger, Optional } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import { isPromiseLike } from '../common/is-promise-like';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { DeliveryLedger, type DeliveryProgress } from './delivery-ledger';
import {
  LiveKitWebhookBusyException,
  LiveKitWebhookHandlerFailedException,
  LiveKitWebhookHandlerTimeoutException,
} from './livekit-webhook.errors';
import { type LiveKitEventHandler, LiveKitEventHandlerRegistry } from './webhook-handler.registry';

export type DispatchOutcome = 'processed' | 'duplicate';

const BUSY_LINE_INTERVAL_MS = 10_000;

/**
 * Runs the handlers of a verified event before the webhook is acknowledged, so that nothing
 * acknowledged is lost:
 * - each handler runs at most once per event id, also across LiveKit's redeliveries;
 * - a handler that throws makes the delivery answer 500: LiveKit retries and only the failed handlers run again;
 * - handlers still running after `webhookHandlerTimeoutMs` make it answer 503: they keep running,
 *   and the retry waits for them instead of starting them again, however long they take;
 * - when the ledger holds `webhookDedupeMaxEntries` events that all have running handlers, a new event
 *   answers 503 (LiveKit retries) and an error line says so, at most every 10 s.
 */
@Injectable()
export class LiveKitWebhookDispatcher {
  private readonly logger = new Logger('LiveKitWebhook');
  private readonly ledger: DeliveryLedger;
  private lastBusyLine = Number.NEGATIVE_INFINITY;
  private busyNotLogged = 0;

  constructor(
    private readonly registry: LiveKitEventHandlerRegistry,
    private readonly livekit: ResolvedLiveKitOptions,
    @Optional() private readonly telemetry: LiveKitTelemetry = new LiveKitTelemetry(),
  ) {
    this.ledger = new DeliveryLedger(livekit.webhookDedupeMaxEntries, livekit.webhookDedupeTtlMs);
  }

  async dispatch(event: WebhookEvent, dedupeKey: string): Promise<DispatchOutcome> {
    const progress = this.progressOf(event, dedupeKey);
    if (progress.complete) {
      this.telemetry.webhookDuplicate(event.event);
      return 'duplicate';
    }
    const handlers = this.registry.handlersFor(event.event);
    const pending: Promise<void>[] = [];
    for (const handler of handlers) {
      if (progress.done.has(handler.id)) continue;
      const run = progress.running.get(handler.id) ?? this.start(handler, event, progress, dedupeKey);
      if (run) pending.push(run);
    }
    if (pending.length > 0) await this.settledWithinTimeout(pending, event);
    if (handlers.some((handler) => !progress.done.has(handler.id))) {
      throw new LiveKitWebhookHandlerFailedException(
        handlers.filter((handler) => !progress.done.has(handler.id)).map((handler) => handler.id),
      );
    }
    this.ledger.markComplete(dedupeKey);
    return 'processed';
  }

  private progressOf(event: WebhookEvent, dedupeKey: string): DeliveryProgress {
    try {
      return this.ledger.progressOf(dedupeKey);
    } catch (error) {
      if (error instanceof LiveKitWebhookBusyException) this.logBusy(event);
      throw error;
    }
  }

  private logBusy(event: WebhookEvent): void {
    const now = Date.now();
    if (now - this.lastBusyLine < BUSY_LINE_INTERVAL_MS) {
      this.busyNotLogged += 1;
      return;
    }
    const others = this.busyNotLogged > 0 ? ` (and ${this.busyNotLogged} more since the previous line)` : '';
    this.lastBusyLine = now;
    this.busyNotLogged = 0;
    this.logger.error(
      `webhook ${event.event} ${event.id} answered 503${others}: all ${this.ledger.maxEntries} events the duplicate ledger holds ` +
        'still have running handlers; LiveKit retries. Fix: find the handlers that hang (they never settle), ' +
        'or raise WEBHOOK_DEDUPE_MAX_ENTRIES (option `webhookDedupeMaxEntries`)',
    );
  }

  /**
   * Runs a handler. One that returns without a promise has settled already: it is marked done (or, when it
   * threw, left to run again on the retry) and nothing is tracked or awaited, so an event whose handlers are
   * all synchronous (the standalone server's event line) costs no promise, timer or ledger entry.
   */
  private start(
    handler: LiveKitEventHandler,
    event: WebhookEvent,
    progress: DeliveryProgress,
    dedupeKey: string,
  ): Promise<void> | undefined {
    let result: unknown;
    try {
      result = handler.handle(event);
    } catch (error) {
      this.logFailure(handler, event, error);
      return undefined;
    }
    if (!isPromiseLike(result)) {
      progress.done.add(handler.id);
      return undefined;
    }
    const run = Promise.resolve(result).then(
      () => {
        progress.done.add(handler.id);
      },
      (error: unknown): never => {
        this.logFailure(handler, event, error);
        throw error;
      },
    );
    this.ledger.track(dedupeKey, handler.id, run);
    return run;
  }

  private logFailure(handler: LiveKitEventHandler, event: WebhookEvent, error: unknown): void {
    this.logger.error(`handler ${handler.id} failed on ${event.event} ${event.id}: ${(error as Error)?.message ?? String(error)}`);
  }

  /**
   * Resolves once every run settled (a failure shows in `progress.done`, not here), or rejects with
   * {@link LiveKitWebhookHandlerTimeoutException} after `webhookHandlerTimeoutMs`: one timer and one
   * promise per delivery, as this runs for every webhook.
   */
  private settledWithinTimeout(runs: Promise<void>[], event: WebhookEvent): Promise<void> {
    const timeoutMs = this.livekit.webhookHandlerTimeoutMs;
    return new Promise<void>((resolve, reject) => {
      let left = runs.length;
      const timer = setTimeout(() => {
        this.telemetry.webhookTimedOut(event.event);
        reject(new LiveKitWebhookHandlerTimeoutException(timeoutMs));
      }, timeoutMs);
      const settledOne = (): void => {
        left -= 1;
        if (left > 0) return;
        clearTimeout(timer);
        resolve();
      };
      for (const run of runs) void run.then(settledOne, settledOne);
    });
  }
}
