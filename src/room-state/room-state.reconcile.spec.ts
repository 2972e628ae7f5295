import { WebhookEvent } from 'livekit-server-sdk';
import type { LiveKitParticipantState } from './interfaces/livekit-room-state.interface';
import { applyEvent } from './room-state.projection';
import { reconcileRecord, type ServerRoomTruth } from './room-state.reconcile';
import { publicRoom, type RoomRecord } from './room-state.record';

const T0 = 1_800_000_000;
const ROOM = { sid: 'RM_r', name: 'call', creationTime: String(T0), creationTimeMs: String(T0 * 1000) };

function applied(events: Record<string, unknown>[], now: number): RoomRecord | undefined {
  let record: RoomRecord | undefined;
  for (const [i, json] of events.entries()) {
    record = applyEvent(record, WebhookEvent.fromJson({ id: `EV_${i}`, createdAt: String(T0), room: ROOM, ...json }), now).record;
  }
  return record;
}

const person = (identity: string, sid: string, tracks: LiveKitParticipantState['tracks'] = []): LiveKitParticipantState => ({
  sid,
  identity,
  name: identity,
  kind: 'STANDARD',
  state: 'ACTIVE',
  metadata: '',
  attributes: {},
  joinedAt: T0 * 1000,
  version: 1,
  isPublisher: tracks.length > 0,
  tracks,
});
const audio = (sid: string, muted = false) => ({
  sid,
  name: 'mic',
  type: 'AUDIO',
  source: 'MICROPHONE',
  muted,
  mimeType: 'audio/opus',
  width: 0,
  height: 0,
  simulcast: false,
});
const truth = (participants: LiveKitParticipantState[]): ServerRoomTruth => ({
  room: { name: 'call', sid: 'RM_r', metadata: '', createdAt: T0 * 1000, updatedAt: 0, maxParticipants: 0 },
  participants,
});
const joinedJson = (p: LiveKitParticipantState) => ({
  event: 'participant_joined',
  participant: { sid: p.sid, identity: p.identity, name: p.name, state: 'ACTIVE', joinedAtMs: String(p.joinedAt), version: 1 },
});

describe('room state reconcile', () => {
  it('adds what LiveKit lists and we missed, removes what it no longer lists, marks every repair reconciled', () => {
    const record = applied([joinedJson(person('gone', 'PA_gone'))], 1_000);
    const out = reconcileRecord(record, truth([person('alice', 'PA_a', [audio('TR_a', true)])]), 2_000, 3_000);
    expect(
      publicRoom(out.record)?.participants.map((p) => `${p.identity}:${p.tracks.map((t) => `${t.sid}${t.muted ? '(muted)' : ''}`).join()}`),
    ).toEqual(['alice:TR_a(muted)']);
    expect(out.drift).toEqual({ participant_missing: 1, track_missing: 1, participant_stale: 1 });
    expect(out.repaired).toEqual(out.drift);
    expect(out.changes.map((c) => c.type).sort()).toEqual(['participant_joined', 'participant_left', 'track_published']);
    expect(out.changes.every((c) => c.reconciled && c.cause === 'reconcile')).toBe(true);
  });

  it('keeps what arrived after the listing was asked for, and never revives an ended session', () => {
    const record = applied([joinedJson(person('late', 'PA_late'))], 5_000);
    const ended = applyEvent(
      record,
      WebhookEvent.fromJson({
        event: 'participant_left',
        id: 'EV_l',
        createdAt: String(T0),
        room: ROOM,
        participant: { sid: 'PA_b', identity: 'bob' },
      }),
      5_000,
    ).record;
    const out = reconcileRecord(ended, truth([person('bob', 'PA_b')]), 4_000, 6_000);
    expect(publicRoom(out.record)?.participants.map((p) => p.identity)).toEqual(['late']);
    expect(out.changes).toEqual([]);
    expect(out.drift).toEqual({ participant_missing: 1, participant_stale: 1 });
    expect(out.repaired).toEqual({});
  });

  it('a room LiveKit no longer lists is finished; one it lists that we never saw is started', () => {
    const record = applied([joinedJson(person('alice', 'PA_a'))], 1_000);
    const finished = reconcileRecord(record, undefined, 2_000, 3_000);
    expect(publicRoom(finished.record)).toBeUndefined();
    expect(finished.changes.map((c) => c.type)).toEqual(['participant_left', 'room_finished']);
    const started = reconcileRecord(undefined, truth([person('bob', 'PA_b')]), 2_000, 3_000);
    expect(publicRoom(started.record)).toMatchObject({ sid: 'RM_r', participants: [expect.objectContaining({ sid: 'PA_b' })] });
    expect(started.drift).toEqual({ room_missing: 1, participant_missing: 1 });
  });

  it('finds nothing when the state is right', () => {
    const record = reconcileRecord(undefined, truth([person('bob', 'PA_b', [audio('TR_b')])]), 1, 2).record;
    const again = reconcileRecord(record, truth([person('bob', 'PA_b', [audio('TR_b')])]), 3, 4);
    expect(again.changes).toEqual([]);
    expect(again.drift).toEqual({});
  });
});
