import type { LiveKitParticipantState, LiveKitRoomChange, LiveKitRoomDriftKind } from './interfaces/livekit-room-state.interface';
import { RoomMutation } from './room-state.projection';
import { emptyRecord, publicParticipantFields, publicTrack, type RoomInfo, type RoomRecord } from './room-state.record';

/** What RoomService says about one room name: the room and its participants, or nothing when it is not active. */
export interface ServerRoomTruth {
  room: RoomInfo;
  participants: LiveKitParticipantState[];
}

export type DriftCount = Partial<Record<LiveKitRoomDriftKind, number>>;

export interface ReconcileOutcome {
  record?: RoomRecord;
  changes: LiveKitRoomChange[];
  /** Every difference seen. */
  drift: DriftCount;
  /** The differences repaired: all but those newer than the listing (a webhook came in meanwhile). */
  repaired: DriftCount;
}

/**
 * Repairs one room record to what RoomService listed. `snapshotAt` is the local time the listing was asked
 * for: what this record learned after it (a webhook that arrived meanwhile) is newer than the listing and is
 * kept; sessions and tracks that ended are never brought back (their sids are final).
 */
export function reconcileRecord(
  record: RoomRecord | undefined,
  truth: ServerRoomTruth | undefined,
  snapshotAt: number,
  now: number,
): ReconcileOutcome {
  const drift: DriftCount = {};
  const repaired: DriftCount = {};
  const seen = (kind: LiveKitRoomDriftKind) => (drift[kind] = (drift[kind] ?? 0) + 1);
  const found = (kind: LiveKitRoomDriftKind) => {
    seen(kind);
    repaired[kind] = (repaired[kind] ?? 0) + 1;
  };
  const outcome = (): ReconcileOutcome => ({ record: mutation.record, changes: mutation.changes, drift, repaired });
  if (!record && !truth) return { record, changes: [], drift, repaired };
  const mutation = new RoomMutation(record ?? emptyRecord(now), { cause: 'reconcile', reconciled: true, at: now, now });
  const held = mutation.record;
  const live = held.room;

  if (!truth) {
    if (live && live.seenAt < snapshotAt) {
      found('room_stale');
      mutation.finishRoom(live.sid);
    }
    return outcome();
  }
  if (mutation.isFinished(truth.room.sid)) {
    seen('room_missing');
    return outcome();
  }
  if (!live || live.sid !== truth.room.sid) {
    if (live && live.seenAt >= snapshotAt) {
      seen('room_missing');
      return outcome();
    }
    if (live) found('room_stale');
    found('room_missing');
    mutation.startRoom({ ...truth.room, updatedAt: now });
  } else if (live.metadata !== truth.room.metadata || live.maxParticipants !== truth.room.maxParticipants) {
    found('room_changed');
    mutation.updateRoom({ metadata: truth.room.metadata, maxParticipants: truth.room.maxParticipants });
  }
  if (truth.room.createdAt > 0) mutation.updateRoom({ createdAt: truth.room.createdAt });

  const listed = new Set<string>();
  for (const server of truth.participants) {
    listed.add(server.identity);
    if (held.endedParticipants[server.sid] !== undefined) {
      seen('participant_missing');
      continue;
    }
    const { tracks, ...fields } = server;
    let participant = held.participants[server.identity];
    if (participant && participant.sid !== server.sid) {
      if (participant.seenAt >= snapshotAt) {
        seen('participant_stale');
        continue;
      }
      found('participant_stale');
      mutation.removeParticipant(server.identity);
      participant = undefined;
    }
    if (!participant) {
      found('participant_missing');
      tracks.forEach(() => found('track_missing'));
      mutation.addParticipant({ ...fields, since: fields.joinedAt || now }, tracks);
      continue;
    }
    if (JSON.stringify(publicParticipantFields(participant)) !== JSON.stringify({ ...fields, version: participant.version })) {
      found('participant_changed');
      mutation.updateParticipant(participant, { ...fields, version: Math.max(fields.version, participant.version) });
    }
    const serverTracks = new Set(tracks.map((track) => track.sid));
    for (const track of tracks) {
      const current = participant.tracks[track.sid];
      if (!current && held.endedTracks[track.sid] !== undefined) {
        seen('track_missing');
        continue;
      }
      if (!current) found('track_missing');
      else if (JSON.stringify(publicTrack(current)) !== JSON.stringify(track)) found('track_changed');
      mutation.publishTrack(participant, track);
    }
    for (const [sid, track] of Object.entries(participant.tracks)) {
      if (serverTracks.has(sid)) continue;
      if (track.seenAt >= snapshotAt) {
        seen('track_stale');
        continue;
      }
      found('track_stale');
      mutation.unpublishTrack(participant, sid);
    }
  }
  for (const [identity, participant] of Object.entries(held.participants)) {
    if (listed.has(identity)) continue;
    if (participant.seenAt >= snapshotAt) {
      seen('participant_stale');
      continue;
    }
    found('participant_stale');
    mutation.removeParticipant(identity);
  }
  return outcome();
}
