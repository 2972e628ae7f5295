import type { ParticipantInfo, Room, TrackInfo } from 'livekit-server-sdk';
import type { LiveKitParticipantState, LiveKitRoomState, LiveKitTrackState } from './interfaces/livekit-room-state.interface';

/*
 * The stored form of one room name: the live room session (if any), and what the projection remembers to
 * order late events: the sids of participant sessions and tracks that ended, and of room sessions that
 * finished. Sids are never reused by LiveKit, so an ended sid stays ended whatever arrives later.
 */

export type RoomInfo = Omit<LiveKitRoomState, 'participants'>;

export interface TrackRecord extends LiveKitTrackState {
  /** Local time (ms) this instance last wrote it: the reconciler removes only what it saw before its snapshot. */
  seenAt: number;
}

export interface ParticipantRecord extends Omit<LiveKitParticipantState, 'tracks'> {
  tracks: Record<string, TrackRecord>;
  /** LiveKit time (ms) this session is known from: `joinedAt`, or the first event naming it. */
  since: number;
  seenAt: number;
}

export interface RoomRecord {
  /** The live room session; undefined once it finished (the record is then kept for its sids only). */
  room?: RoomInfo & { seenAt: number };
  /** By identity. */
  participants: Record<string, ParticipantRecord>;
  /** Ended participant sessions of the live room: sid → LiveKit time (ms). */
  endedParticipants: Record<string, number>;
  /** Unpublished tracks of the live room: sid → LiveKit time (ms). */
  endedTracks: Record<string, number>;
  /** Finished room sessions of this name: sid → LiveKit time (ms). */
  finishedRooms: Record<string, number>;
  /** Local time (ms) of the last write. */
  seenAt: number;
}

/** Most sids kept in each of a record's ended lists; the oldest go first. */
export const MAX_ENDED_SIDS = 2_000;
export const MAX_FINISHED_ROOMS = 50;

export function emptyRecord(now: number): RoomRecord {
  return { participants: {}, endedParticipants: {}, endedTracks: {}, finishedRooms: {}, seenAt: now };
}

/** Adds `sid` to an ended list, dropping the oldest entries beyond `max`. */
export function remember(list: Record<string, number>, sid: string, at: number, max: number): void {
  list[sid] = Math.max(list[sid] ?? 0, at);
  const sids = Object.keys(list);
  if (sids.length <= max) return;
  sids.sort((a, b) => list[a]! - list[b]!);
  for (const old of sids.slice(0, sids.length - max)) delete list[old];
}

type Json = Record<string, unknown>;
const JSON_OPTIONS = { emitDefaultValues: true } as const;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : 0;
  return Number.isFinite(n) ? n : 0;
};

/** LiveKit ms time from the `…Ms` field, or the seconds field. */
const millis = (json: Json, ms: string, seconds: string): number => num(json[ms]) || num(json[seconds]) * 1000;

export function toTrackState(track: TrackInfo): LiveKitTrackState {
  const json = track.toJson(JSON_OPTIONS) as Json;
  return {
    sid: str(json.sid),
    name: str(json.name),
    type: str(json.type),
    source: str(json.source),
    muted: json.muted === true,
    mimeType: str(json.mimeType),
    width: num(json.width),
    height: num(json.height),
    simulcast: json.simulcast === true,
  };
}

/** A participant's fields (its tracks apart) from LiveKit's info, which track events send partially (sid, identity). */
export function toParticipantFields(participant: ParticipantInfo): Omit<LiveKitParticipantState, 'tracks'> {
  const json = participant.toJson(JSON_OPTIONS) as Json;
  return {
    sid: str(json.sid),
    identity: str(json.identity),
    name: str(json.name),
    kind: str(json.kind) || 'STANDARD',
    state: str(json.state),
    metadata: str(json.metadata),
    attributes: { ...((json.attributes as Record<string, string> | undefined) ?? {}) },
    joinedAt: millis(json, 'joinedAtMs', 'joinedAt'),
    version: num(json.version),
    isPublisher: json.isPublisher === true,
  };
}

export function toRoomInfo(room: Room, updatedAt: number): RoomInfo {
  const json = room.toJson(JSON_OPTIONS) as Json;
  return {
    name: str(json.name),
    sid: str(json.sid),
    metadata: str(json.metadata),
    createdAt: millis(json, 'creationTimeMs', 'creationTime'),
    updatedAt,
    maxParticipants: num(json.maxParticipants),
  };
}

const withoutSeenAt = <T extends { seenAt: number }>({ seenAt: _, ...rest }: T): Omit<T, 'seenAt'> => rest;

export function publicTrack(track: TrackRecord): LiveKitTrackState {
  return withoutSeenAt(track);
}

export function publicParticipantFields(participant: ParticipantRecord): Omit<LiveKitParticipantState, 'tracks'> {
  const { sid, identity, name, kind, state, metadata, attributes, joinedAt, version, isPublisher } = participant;
  return { sid, identity, name, kind, state, metadata, attributes, joinedAt, version, isPublisher };
}

export function publicParticipant(participant: ParticipantRecord): LiveKitParticipantState {
  const tracks = Object.values(participant.tracks).map(publicTrack);
  tracks.sort((a, b) => a.sid.localeCompare(b.sid));
  return { ...publicParticipantFields(participant), tracks };
}

export function publicRoomInfo(record: RoomRecord): RoomInfo | undefined {
  return record.room && withoutSeenAt(record.room);
}

/** The live room of a record as the API shows it (participants by identity), or undefined when it finished. */
export function publicRoom(record: RoomRecord | undefined): LiveKitRoomState | undefined {
  const info = record && publicRoomInfo(record);
  if (!record || !info) return undefined;
  const participants = Object.values(record.participants).map(publicParticipant);
  participants.sort((a, b) => a.identity.localeCompare(b.identity));
  return { ...info, participants };
}
