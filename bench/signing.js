'use strict';
/**
 * Webhook deliveries signed the way livekit-server signs them: the body is the protojson text of a
 * WebhookEvent, and `Authorization` (no "Bearer") is an HS256 JWT from the API key whose `sha256`
 * claim is base64(SHA-256(body bytes)), valid for 5 minutes.
 */
const { createHash } = require('node:crypto');
const { AccessToken } = require('livekit-server-sdk');

/** A participant_joined event as livekit-server serialises it (int64 fields as strings). */
function participantJoinedBody(id, n, nowSec) {
  const room = n % 100;
  return JSON.stringify({
    event: 'participant_joined',
    room: {
      sid: `RM_bench${room}`,
      name: `bench-room-${room}`,
      emptyTimeout: 300,
      departureTimeout: 20,
      creationTime: String(nowSec - 60),
      creationTimeMs: String((nowSec - 60) * 1000),
      enabledCodecs: [{ mime: 'audio/opus' }, { mime: 'audio/red' }, { mime: 'video/VP8' }, { mime: 'video/H264' }],
      numParticipants: 2,
    },
    participant: {
      sid: `PA_${id.slice(3)}`,
      identity: `bench-user-${n}`,
      state: 'ACTIVE',
      joinedAt: String(nowSec),
      joinedAtMs: String(nowSec * 1000),
      name: `Bench User ${n}`,
      version: 2,
      permission: { canSubscribe: true, canPublish: true, canPublishData: true },
      kind: 'STANDARD',
    },
    id,
    createdAt: String(nowSec),
  });
}

/** The `Authorization` header value for `body` (Buffer or string, hashed as sent). */
async function signWebhook(body, apiKey, apiSecret) {
  const at = new AccessToken(apiKey, apiSecret, { ttl: '5m' });
  at.sha256 = createHash('sha256').update(body).digest('base64');
  return at.toJwt();
}

/**
 * `size` signed deliveries with distinct event ids `EV_<tag><n>`, so a server that dedupes by id
 * takes its normal path on every request while the pool lasts.
 * @returns {Promise<Array<{ body: Buffer, authorization: string }>>}
 */
async function signedWebhookPool({ apiKey, apiSecret, size, tag }) {
  const nowSec = Math.floor(Date.now() / 1000);
  const pool = new Array(size);
  for (let n = 0; n < size; n++) {
    const body = Buffer.from(participantJoinedBody(`EV_${tag}${n.toString(36)}`, n, nowSec));
    pool[n] = { body, authorization: await signWebhook(body, apiKey, apiSecret) };
  }
  return pool;
}

module.exports = { participantJoinedBody, signWebhook, signedWebhookPool };
