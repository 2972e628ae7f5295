import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import { Subject } from 'rxjs';
import { loggableText } from '../common/loggable-text';
import type { VerifiedWebhookDelivery } from '../webhook/interfaces/verified-delivery.interface';
import type { WebhookIntakeOutcome } from '../webhook/livekit-webhook-intake';
import type { WebhookDeliveryObserver } from '../webhook/webhook-delivery-observer';
import { LiveKitEventHandlerRegistry } from '../webhook/webhook-handler.registry';
import type { WebhookRefusal } from '../webhook/webhook-refusal.messages';
import type { LiveKitConsoleDelivery } from './interfaces/console-delivery.interface';
import { MAX_ERROR_TEXT } from './console.internal-constants';
import { ResolvedConsoleOptions } from './resolved-console-options';

const TEST_IDS_KEPT = 100;

function messageOf(error: unknown): string {
  return loggableText(error instanceof Error ? error.message : String(error), MAX_ERROR_TEXT);
}

/**
 * The recent webhook deliveries, as the webhook pipeline reports them (it is the pipeline's
 * `WebhookDeliveryObserver` while the console is registered): a ring of `deliveryLogSize` entries, each
 * change published on {@link changes} for the live page. Handler runs are matched to their delivery by event
 * id, so a queue worker's runs (and a dead letter's replay) land on the delivery that brought the event.
 */
@Injectable()
export class LiveKitConsoleDeliveryLog implements WebhookDeliveryObserver {
  readonly changes = new Subject<LiveKitConsoleDelivery>();
  private readonly ring: (LiveKitConsoleDelivery | undefined)[];
  private next = 0;
  private seq = 0;
  private revision = 0;
  /** The newest delivery of each event id still in the ring. */
  private readonly byId = new Map<string, LiveKitConsoleDelivery>();
  private readonly testIds = new Set<string>();

  constructor(
    @Inject(ResolvedConsoleOptions) options: ResolvedConsoleOptions,
    private readonly registry: LiveKitEventHandlerRegistry,
  ) {
    this.ring = new Array<LiveKitConsoleDelivery | undefined>(options.deliveryLogSize);
  }

  /** Newest first. */
  list(): LiveKitConsoleDelivery[] {
    const out: LiveKitConsoleDelivery[] = [];
    for (let i = 1; i <= this.ring.length; i++) {
      const entry = this.ring[(this.next - i + this.ring.length) % this.ring.length];
      if (entry) out.push(entry);
    }
    return out;
  }

  /** Marks an event id as the console's own test event, before it is posted. */
  expectTest(id: string): void {
    this.testIds.add(id);
    if (this.testIds.size > TEST_IDS_KEPT) this.testIds.delete(this.testIds.values().next().value as string);
  }

  refused(refusal: WebhookRefusal): void {
    this.add({
      verification: 'refused',
      outcome: 'refused',
      status: refusal.status,
      reason: refusal.reason,
      detail: refusal.detail,
      duplicate: false,
      test: false,
    });
  }

  received(delivery: VerifiedWebhookDelivery): void {
    const { event } = delivery;
    const entry = this.add({
      verification: 'verified',
      outcome: 'running',
      id: delivery.dedupeKey,
      event: event.event,
      room: event.room?.name || undefined,
      participant: event.participant?.identity || undefined,
      track: event.track?.sid || undefined,
      duplicate: false,
      test: this.testIds.has(delivery.dedupeKey),
    });
    this.byId.set(delivery.dedupeKey, entry);
  }

  answered(delivery: VerifiedWebhookDelivery, outcome: WebhookIntakeOutcome | undefined, error?: unknown): void {
    const entry = this.byId.get(delivery.dedupeKey);
    if (!entry) return;
    if (outcome === undefined) {
      entry.status = error instanceof HttpException ? error.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
      entry.outcome = 'failed';
      entry.detail = messageOf(error);
    } else {
      entry.status = HttpStatus.OK;
      entry.outcome = outcome;
      entry.duplicate = outcome === 'duplicate';
    }
    this.publish(entry);
  }

  handlerSettled(handler: string, event: WebhookEvent, seconds: number, failed: boolean, error?: unknown): void {
    const entry = event.id ? this.byId.get(event.id) : undefined;
    if (!entry) return;
    entry.handlers.push({
      handler,
      ok: !failed,
      ms: Math.round(seconds * 100_000) / 100,
      error: failed ? messageOf(error) : undefined,
      at: new Date().toISOString(),
    });
    // A queued event is run by a worker after the answer: its outcome follows its handlers' latest runs.
    if (entry.outcome === 'queued' || (entry.status === HttpStatus.OK && entry.outcome === 'failed')) {
      entry.outcome = this.queuedOutcome(entry, event.event);
    }
    this.publish(entry);
  }

  private queuedOutcome(entry: LiveKitConsoleDelivery, eventType: string): 'queued' | 'processed' | 'failed' {
    const latest = new Map<string, boolean>();
    for (const run of entry.handlers) latest.set(run.handler, run.ok);
    if ([...latest.values()].some((ok) => !ok)) return 'failed';
    const all = this.registry.handlersFor(eventType).every((h) => latest.get(h.id) === true);
    return all ? 'processed' : 'queued';
  }

  private add(fields: Omit<LiveKitConsoleDelivery, 'seq' | 'revision' | 'receivedAt' | 'handlers'>): LiveKitConsoleDelivery {
    const entry: LiveKitConsoleDelivery = { seq: ++this.seq, revision: 0, receivedAt: new Date().toISOString(), ...fields, handlers: [] };
    const evicted = this.ring[this.next];
    if (evicted?.id !== undefined && this.byId.get(evicted.id) === evicted) this.byId.delete(evicted.id);
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.ring.length;
    this.publish(entry);
    return entry;
  }

  private publish(entry: LiveKitConsoleDelivery): void {
    entry.revision = ++this.revision;
    this.changes.next(entry);
  }
}
