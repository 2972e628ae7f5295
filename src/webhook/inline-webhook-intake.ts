import type { VerifiedWebhookDelivery } from './interfaces/verified-delivery.interface';
import { LiveKitWebhookIntake, type WebhookIntakeOutcome } from './livekit-webhook-intake';
import type { LiveKitWebhookDispatcher } from './webhook-dispatcher.service';

/** The default intake: runs the handlers in this process before the webhook is acknowledged. */
export class InlineLiveKitWebhookIntake extends LiveKitWebhookIntake {
  constructor(private readonly dispatcher: LiveKitWebhookDispatcher) {
    super();
  }

  accept(delivery: VerifiedWebhookDelivery): Promise<WebhookIntakeOutcome> {
    return this.dispatcher.dispatch(delivery.event, delivery.dedupeKey);
  }
}
