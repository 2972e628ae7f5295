import type { WebhookEvent } from 'livekit-server-sdk';
import type { VerifiedWebhookDelivery } from './interfaces/verified-delivery.interface';
import type { WebhookIntakeOutcome } from './livekit-webhook-intake';
import type { WebhookRefusal } from './webhook-refusal.messages';

/**
 * Internal: provide a {@link WebhookDeliveryObserver} under this token from a global module, and the webhook
 * guard, route and handlers report every delivery to it (`LiveKitConsoleModule` does). Without one, each of
 * those places pays a single `undefined` check.
 */
export const LIVEKIT_WEBHOOK_DELIVERY_OBSERVER = Symbol('LIVEKIT_WEBHOOK_DELIVERY_OBSERVER');

/** What the webhook pipeline reports about each delivery. Every method is synchronous and must not throw. */
export interface WebhookDeliveryObserver {
  /** The guard refused a webhook (401, 413, 415, 400, or 500 without a raw body). */
  refused(refusal: WebhookRefusal): void;
  /** A verified delivery reached the route, before the intake takes it. */
  received(delivery: VerifiedWebhookDelivery): void;
  /** The intake answered for the delivery: its outcome, or the error the route answers. */
  answered(delivery: VerifiedWebhookDelivery, outcome: WebhookIntakeOutcome | undefined, error?: unknown): void;
  /** An `@OnLiveKitEvent` handler settled on `event` (inline or in a queue worker); `error` when it threw. */
  handlerSettled(handler: string, event: WebhookEvent, seconds: number, failed: boolean, error?: unknown): void;
}
