import { randomUUID } from 'node:crypto';
import type { LiveKitEventName } from '../webhook/livekit-event-names';

/** A LiveKit webhook event in protojson, as LiveKit Server posts it (camelCase fields, int64 as strings). */
export type LiveKitWebhookEventJson = { event: LiveKitEventName | (string & {}); id?: string; createdAt?: string } & Record<
  string,
  unknown
>;

/**
 * An event of `type` with a fresh `id` and `createdAt`, a room `test-room`, and for participant and track
 * events a participant `alice`; `fields` replace any of them.
 */
export function liveKitWebhookEvent(type: LiveKitEventName | (string & {}), fields: Record<string, unknown> = {}): LiveKitWebhookEventJson {
  const now = String(Math.floor(Date.now() / 1000));
  return {
    event: type,
    id: `EV_${randomUUID()}`,
    createdAt: now,
    room: { sid: 'RM_test', name: 'test-room', emptyTimeout: 300, creationTime: now },
    ...(type.startsWith('participant') || type.startsWith('track')
      ? { participant: { sid: 'PA_test', identity: 'alice', state: 'ACTIVE', joinedAt: now } }
      : {}),
    ...fields,
  };
}
