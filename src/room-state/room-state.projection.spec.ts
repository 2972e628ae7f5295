import fc from 'fast-check';
import { WebhookEvent } from 'livekit-server-sdk';
import { applyEvent } from './room-state.projection';
import { publicRoom, type RoomRecord } from './room-state.record';

const T0 = 1_800_000_000; // seconds
let counter = 0;

interface Session {
  sid: string;
  identity: string;
  joinedAtMs: number;
  version?: number;
  name?: string;
  kind?: string;
}

const ROOM = { sid: 'RM_one', name: 'call', creationTime: String(T0), creationTimeMs: String(T0 * 1000 + 5) };

function event(type: string, at: number, fields: Record<string, unknown> = {}): WebhookEvent {
  counter += 1;
  return WebhookEvent.fromJson({ event: type, id: `EV_${counter}`, createdAt: String(at), room: ROOM, ...fields });
}

const participant = (s: Session, extra: Record<string, unknown> = {}) => ({
  sid: s.sid,
  identity: s.identity,
  name: s.name ?? s.identity,
  state: 'ACTIVE',
  kind: s.kind ?? 'STANDARD',
  joinedAt: String(Math.floor(s.joinedAtMs / 1000)),
  joinedAtMs: String(s.joinedAtMs),
  version: s.version ?? 1,
  ...extra,
});
/** Track events name the participant by sid and identity only, and the room by sid and name, as LiveKit sends them. */
const partialParticipant = (s: Session) => ({ sid: s.sid, identity: s.identity });
const track = (sid: string, muted = false) => ({ sid, name: 'mic', type: 'AUDIO', source: 'MICROPHONE', muted, mimeType: 'audio/opus' });

const joined = (s: Session, at = Math.floor(s.joinedAtMs / 1000)) => event('participant_joined', at, { participant: participant(s) });
const left = (s: Session, at: number) => event('participant_left', at, { participant: participant(s, { state: 'DISCONNECTED' }) });
const aborted = (s: Session, at: number) => event('participant_connection_aborted', at, { participant: participant(s) });
const published = (s: Session, trackSid: string, at: number, muted = false) =>
  event('track_published', at, {
    room: { sid: ROOM.sid, name: ROOM.name },
    participant: partialParticipant(s),
    track: track(trackSid, muted),
  });
const unpublished = (s: Session, trackSid: string, at: number) =>
  event('track_unpublished', at, { room: { sid: ROOM.sid, name: ROOM.name }, participant: partialParticipant(s), track: track(trackSid) });
const roomStarted = (at = T0, room = ROOM) => event('room_started', at, { room });
const roomFinished = (at: number, room = ROOM) => event('room_finished', at, { room });

function run(events: WebhookEvent[], record?: RoomRecord) {
  const changes = [];
  let current = record;
  for (const e of events) {
    const out = applyEvent(current, e, Date.now());
    current = out.record;
    changes.push(...out.changes);
  }
  return { record: current, state: publicRoom(current), changes };
}

/** What the API shows: identities with their session sids and track sids. */
const summary = (events: WebhookEvent[]) =>
  run(events).state?.participants.map((p) => `${p.identity}:${p.sid}[${p.tracks.map((t) => t.sid).join(',')}]`) ?? 'no room';

const alice1: Session = { sid: 'PA_alice1', identity: 'alice', joinedAtMs: T0 * 1000 + 100 };
const alice2: Session = { sid: 'PA_alice2', identity: 'alice', joinedAtMs: (T0 + 3) * 1000 + 200 };
const bob: Session = { sid: 'PA_bob', identity: 'bob', joinedAtMs: (T0 + 1) * 1000 };

describe('room state projection', () => {
  it('in order: joins, publishes, unpublishes, leaves, with a change for each step', () => {
    const { state, changes } = run([
      roomStarted(),
      joined(alice1),
      published(alice1, 'TR_a', T0 + 1),
      joined(bob),
      unpublished(alice1, 'TR_a', T0 + 2),
      left(alice1, T0 + 2),
    ]);
    expect(state?.participants.map((p) => p.identity)).toEqual(['bob']);
    expect(changes.map((c) => c.type)).toEqual([
      'room_started',
      'participant_joined',
      'track_published',
      'participant_joined',
      'track_unpublished',
      'participant_left',
    ]);
    expect(changes.every((c) => !c.reconciled && c.room === 'call' && c.roomSid === 'RM_one')).toBe(true);
    expect(changes[2]).toMatchObject({
      cause: 'track_published',
      participant: { identity: 'alice' },
      track: { sid: 'TR_a' },
      at: (T0 + 1) * 1000,
    });
  });

  it('a late participant_left of an older session never removes the newer one', () => {
    expect(summary([roomStarted(), joined(alice1), joined(alice2), left(alice1, T0 + 4)])).toEqual(['alice:PA_alice2[]']);
    // the older session's join arriving after the newer one is ignored too
    expect(summary([roomStarted(), joined(alice2), joined(alice1), left(alice1, T0 + 4)])).toEqual(['alice:PA_alice2[]']);
    // and its late track events
    expect(summary([joined(alice2), published(alice1, 'TR_old', T0 + 1), published(alice2, 'TR_new', T0 + 4)])).toEqual([
      'alice:PA_alice2[TR_new]',
    ]);
  });

  it('a newer session of the same identity replaces the older one, which leaves', () => {
    const { changes } = run([joined(alice1), published(alice1, 'TR_a', T0 + 1), joined(alice2)]);
    expect(changes.map((c) => `${c.type}:${c.participant?.sid ?? ''}`)).toEqual([
      'room_started:',
      'participant_joined:PA_alice1',
      'track_published:PA_alice1',
      'participant_left:PA_alice1',
      'participant_joined:PA_alice2',
    ]);
    // the replaced session's own participant_left, late, changes nothing
    expect(summary([joined(alice1), joined(alice2), left(alice1, T0 + 5)])).toEqual(['alice:PA_alice2[]']);
  });

  it('participant_connection_aborted ends the session like participant_left', () => {
    const { state, changes } = run([joined(alice1), aborted(alice1, T0 + 1)]);
    expect(state?.participants).toEqual([]);
    expect(changes.at(-1)).toMatchObject({ type: 'participant_left', cause: 'participant_connection_aborted' });
    // and a late join of the aborted session does not bring it back
    expect(summary([aborted(alice1, T0 + 1), joined(alice1)])).toEqual([]);
  });

  it('participant_left without participant_joined is remembered: the late join is ignored', () => {
    const first = run([roomStarted(), left(bob, T0 + 2)]);
    expect(first.changes.map((c) => c.type)).toEqual(['room_started']);
    expect(summary([roomStarted(), left(bob, T0 + 2), joined(bob), published(bob, 'TR_b', T0 + 1)])).toEqual([]);
  });

  it('a track event before the join creates the participant, which the join completes', () => {
    const agent: Session = { ...bob, kind: 'AGENT', name: 'Agent Smith', version: 4 };
    const { state, changes } = run([published(agent, 'TR_b', T0 + 1), joined(agent)]);
    expect(state?.participants).toEqual([
      expect.objectContaining({
        identity: 'bob',
        sid: 'PA_bob',
        kind: 'AGENT',
        name: 'Agent Smith',
        joinedAt: bob.joinedAtMs,
        isPublisher: true,
      }),
    ]);
    expect(state?.participants[0]?.tracks).toEqual([
      expect.objectContaining({ sid: 'TR_b', type: 'AUDIO', source: 'MICROPHONE', muted: false }),
    ]);
    expect(changes.map((c) => c.type)).toEqual(['room_started', 'participant_joined', 'track_published', 'participant_updated']);
  });

  it('older participant info (lower version) never replaces newer', () => {
    const newer = { ...alice1, version: 5, name: 'Alice (new)' };
    const older = { ...alice1, version: 2, name: 'Alice (old)' };
    expect(run([joined(newer), joined(older)]).state?.participants[0]?.name).toBe('Alice (new)');
    expect(run([joined(older), joined(newer)]).state?.participants[0]?.name).toBe('Alice (new)');
  });

  it('an unpublish before its publish: the track stays unpublished; muted state comes with the track', () => {
    expect(summary([joined(alice1), unpublished(alice1, 'TR_a', T0 + 2), published(alice1, 'TR_a', T0 + 1)])).toEqual([
      'alice:PA_alice1[]',
    ]);
    expect(run([joined(alice1), published(alice1, 'TR_m', T0 + 1, true)]).state?.participants[0]?.tracks[0]?.muted).toBe(true);
  });

  it('room_finished ends the room and its participants; late events of that room session are ignored', () => {
    const { state, changes, record } = run([joined(alice1), joined(bob), roomFinished(T0 + 9)]);
    expect(state).toBeUndefined();
    expect(changes.slice(-3).map((c) => c.type)).toEqual(['participant_left', 'participant_left', 'room_finished']);
    expect(run([joined(alice2), published(alice2, 'TR_x', T0 + 9), roomStarted()], record).state).toBeUndefined();
    // a new session of the same room name starts afresh
    const next = { ...ROOM, sid: 'RM_two', creationTimeMs: String((T0 + 20) * 1000) };
    const again = run(
      [
        event('participant_joined', T0 + 21, {
          room: next,
          participant: participant({ ...bob, sid: 'PA_bob2', joinedAtMs: (T0 + 21) * 1000 }),
        }),
      ],
      record,
    );
    expect(again.state).toMatchObject({ sid: 'RM_two', participants: [expect.objectContaining({ sid: 'PA_bob2' })] });
  });

  it('room_finished before room_started (reordered) leaves no room behind', () => {
    expect(run([roomFinished(T0 + 9), roomStarted(), joined(alice1)]).state).toBeUndefined();
  });

  it('ignores events without a room, and types it does not read', () => {
    expect(applyEvent(undefined, WebhookEvent.fromJson({ event: 'participant_joined', id: 'EV_x', createdAt: String(T0) }), 0)).toEqual({
      record: undefined,
      changes: [],
    });
    expect(applyEvent(undefined, event('egress_started', T0), 0).changes).toEqual([]);
  });

  it('any order of a session’s events ends in the same state as the order LiveKit sent them', () => {
    const history = [
      roomStarted(),
      joined(alice1),
      published(alice1, 'TR_a1', T0 + 1),
      joined(bob),
      published(bob, 'TR_b', T0 + 2),
      unpublished(alice1, 'TR_a1', T0 + 2),
      left(alice1, T0 + 3),
      joined(alice2),
      published(alice2, 'TR_a2', T0 + 4),
      unpublished(bob, 'TR_b', T0 + 5),
    ];
    const expected = summary(history);
    expect(expected).toEqual(['alice:PA_alice2[TR_a2]', 'bob:PA_bob[]']);
    fc.assert(
      fc.property(fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }), (shuffled) => {
        expect(summary(shuffled)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('replaying the same events again (a redelivery) changes nothing', () => {
    const history = [roomStarted(), joined(alice1), published(alice1, 'TR_a', T0 + 1)];
    const { record } = run(history);
    expect(run(history, record).changes).toEqual([]);
  });
});
