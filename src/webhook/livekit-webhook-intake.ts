import type { VerifiedWebhookDelivery } from './interfaces/verified-delivery.interface';
import type { DispatchOutcome } from './webhook-dispatcher.service';

/**
 * What the webhook answers for a verified delivery: `processed` or `duplicate` when the handlers ran
 * inline (the default), `queued` when a durable queue holds the event (a redelivery of an event the
 * queue already holds is also `queued`, and does not run twice).
 */
export type WebhookIntakeOutcome = DispatchOutcome | 'queued';

/**
 * Takes a verified delivery off the webhook route; the route acknowledges (200) once `accept` resolves,
 * and answers the error it throws otherwise. The default runs the handlers before acknowledging
 * (`LiveKitWebhookDispatcher`); `LiveKitWebhookQueueModule` replaces it with a durable Redis queue.
 * Inject it in your own controller when you serve the webhook yourself (`routes: false`).
 */
export abstract class LiveKitWebhookIntake {
  abstract accept(delivery: VerifiedWebhookDelivery): Promise<WebhookIntakeOutcome>;
}
