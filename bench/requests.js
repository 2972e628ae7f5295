'use strict';
/**
 * Request sources for the load generator: each `next()` returns the headers and body of the next
 * request, distinct from the previous ones (participant names, webhook event ids).
 */
const { signedWebhookPool } = require('./signing');

const JSON_HEADERS = { 'content-type': 'application/json' };

function tokenSource(tag, bodyOf) {
  let n = 0;
  return {
    next() {
      n++;
      return { headers: JSON_HEADERS, body: JSON.stringify(bodyOf(`bench-room-${n % 100}`, `bench-user-${tag}-${n}`)) };
    },
    stats: () => ({ issued: n }),
  };
}

async function webhookSource(tag, { apiKey, apiSecret, poolSize }) {
  const pool = await signedWebhookPool({ apiKey, apiSecret, size: poolSize, tag });
  let n = 0;
  return {
    next() {
      const { body, authorization } = pool[n++ % pool.length];
      return { headers: { 'content-type': 'application/webhook+json', authorization }, body };
    },
    // Past the pool, event ids repeat and a deduping server measures its duplicate path instead.
    stats: () => ({ issued: n, poolSize: pool.length, reusedIds: Math.max(0, n - pool.length) }),
  };
}

/** @param {{ kind: string, tag: string, apiKey: string, apiSecret: string, poolSize: number }} job */
async function createRequestSource(job) {
  switch (job.kind) {
    case 'token':
      return tokenSource(job.tag, (roomName, participantName) => ({ roomName, participantName }));
    case 'livekit-token':
      return tokenSource(job.tag, (room_name, participant_identity) => ({ room_name, participant_identity }));
    case 'webhook':
      return webhookSource(job.tag, job);
    default:
      throw new Error(`unknown request kind "${job.kind}"`);
  }
}

module.exports = { createRequestSource };
