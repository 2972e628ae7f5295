import { AccessToken } from 'livekit-server-sdk';
import { createHash, randomUUID } from 'node:crypto';

export interface SignedWebhook {
  body: Buffer;
  authorization: string;
  id: string;
}

/** A WebhookEvent body as LiveKit Server posts it: protojson, camelCase, int64 as strings. */
export function webhookBody(event: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    event,
    room: { sid: 'RM_test', name: 'test-room', emptyTimeout: 300, creationTime: String(now) },
    ...(event.startsWith('participant') || event.startsWith('track')
      ? { participant: { sid: 'PA_test', identity: 'alice', state: 'ACTIVE', joinedAt: String(now) } }
      : {}),
    id: `EV_${randomUUID()}`,
    createdAt: String(now),
    ...overrides,
  };
}

export function sha256Base64(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}

/** Signs exactly as LiveKit Server does: HS256 JWT, iss = API key, 5 minutes, claim sha256 of the body bytes. */
export async function signWebhook(
  apiKey: string,
  apiSecret: string,
  payload: Record<string, unknown> | Buffer,
  options: { ttl?: string | number; hashOf?: Buffer } = {},
): Promise<SignedWebhook> {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload));
  const token = new AccessToken(apiKey, apiSecret, { ttl: options.ttl ?? '5m' });
  token.sha256 = sha256Base64(options.hashOf ?? body);
  const id = Buffer.isBuffer(payload) || typeof payload.id !== 'string' ? '' : payload.id;
  return { body, authorization: await token.toJwt(), id };
}
