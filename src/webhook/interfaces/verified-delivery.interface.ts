import type { WebhookEvent } from 'livekit-server-sdk';

/** A webhook that passed the guard: the typed event, its raw bytes, and the key it is deduplicated by. */
export interface VerifiedWebhookDelivery {
  event: WebhookEvent;
  /** The event `id`, or the body's sha256 when a sender leaves `id` out. */
  dedupeKey: string;
  /** API key that signed it. */
  apiKey: string;
  rawBody: Buffer;
}
