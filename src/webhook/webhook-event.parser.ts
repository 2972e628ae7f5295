import { WebhookEvent } from 'livekit-server-sdk';
import { exceededJsonBound, type JsonBounds } from '../common/json-bounds';
import { LiveKitWebhookMalformedException } from './livekit-webhook.errors';

/**
 * LiveKit's events nest at most 9 levels (`ingressInfo.state.tracks[].codecs[].layers[]`). Only depth is
 * bounded: the body limit already bounds the work, and a count could refuse a genuine event of a newer server.
 */
const WEBHOOK_BODY_BOUNDS: JsonBounds = { maxDepth: 32, maxValues: Number.POSITIVE_INFINITY };

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
  const exceeded = exceededJsonBound(json, WEBHOOK_BODY_BOUNDS);
  if (exceeded !== undefined) throw new LiveKitWebhookMalformedException(`it ${exceeded}`);
  try {
    return WebhookEvent.fromJson(json as never, { ignoreUnknownFields: true });
  } catch (error) {
    throw new LiveKitWebhookMalformedException((error as Error).message);
  }
}
