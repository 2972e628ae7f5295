import { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitWebhookMalformedException } from './livekit-webhook.errors';

/** Parses LiveKit's protojson body into the SDK's typed `WebhookEvent`, accepting fields newer servers add. */
export function parseWebhookEvent(body: Buffer): WebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new LiveKitWebhookMalformedException('not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new LiveKitWebhookMalformedException('not a JSON object');
  }
  try {
    return WebhookEvent.fromJson(json as never, { ignoreUnknownFields: true });
  } catch (error) {
    throw new LiveKitWebhookMalformedException((error as Error).message);
  }
}
