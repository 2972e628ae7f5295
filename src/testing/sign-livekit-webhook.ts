import { AccessToken, WebhookEvent } from 'livekit-server-sdk';
import { createHash } from 'node:crypto';
import { LIVEKIT_TEST_CREDENTIALS } from './livekit-test-credentials';
import type { LiveKitWebhookEventJson } from './livekit-webhook-event';

export interface LiveKitWebhookSigningOptions {
  /** @default LIVEKIT_TEST_CREDENTIALS.apiKey */
  apiKey?: string;
  /** @default LIVEKIT_TEST_CREDENTIALS.apiSecret */
  apiSecret?: string;
  /** Lifetime of the token, as the SDK's `AccessToken` takes it. @default '5m' (LiveKit Server's) */
  ttl?: string | number;
}

/** What to post: the exact body bytes and the headers LiveKit Server sends with them. */
export interface SignedLiveKitWebhook {
  body: Buffer;
  headers: { authorization: string; 'content-type': 'application/webhook+json' };
}

/**
 * Signs a webhook exactly as LiveKit Server does: the body is the event's protojson, and `Authorization`
 * is an HS256 JWT issued by the API key whose `sha256` claim is the base64 SHA-256 of those bytes.
 */
export async function signLiveKitWebhook(
  event: WebhookEvent | LiveKitWebhookEventJson | Buffer | string,
  options: LiveKitWebhookSigningOptions = {},
): Promise<SignedLiveKitWebhook> {
  const body =
    event instanceof WebhookEvent
      ? Buffer.from(event.toJsonString())
      : Buffer.isBuffer(event)
        ? event
        : Buffer.from(typeof event === 'string' ? event : JSON.stringify(event));
  const token = new AccessToken(
    options.apiKey ?? LIVEKIT_TEST_CREDENTIALS.apiKey,
    options.apiSecret ?? LIVEKIT_TEST_CREDENTIALS.apiSecret,
    {
      ttl: options.ttl ?? '5m',
    },
  );
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, headers: { authorization: await token.toJwt(), 'content-type': 'application/webhook+json' } };
}
