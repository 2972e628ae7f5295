import type { VerifiedWebhookDelivery } from '../webhook/interfaces/verified-delivery.interface';
import { LiveKitWebhookIntake, type WebhookIntakeOutcome } from '../webhook/livekit-webhook-intake';
import type { LiveKitWebhookQueue } from './livekit-webhook-queue.service';

/** Queue mode's intake: the webhook is acknowledged once Redis holds the event; workers run the handlers. */
export class QueueLiveKitWebhookIntake extends LiveKitWebhookIntake {
  constructor(private readonly queue: LiveKitWebhookQueue) {
    super();
  }

  accept(delivery: VerifiedWebhookDelivery): Promise<WebhookIntakeOutcome> {
    return this.queue.enqueue(delivery);
  }
}
