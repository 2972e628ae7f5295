import type { WebhookEvent } from 'livekit-server-sdk';
import type { LiveKitRoomChange, LiveKitRoomChangeType, LiveKitTrackState } from './interfaces/livekit-room-state.interface';
import {
  emptyRecord,
  MAX_ENDED_SIDS,
  MAX_FINISHED_ROOMS,
  type ParticipantRecord,
  publicParticipantFields,
  publicRoomInfo,
  publicTrack,
  remember,
  type RoomInfo,
  type RoomRecord,
  toParticipantFields,
  toRoomInfo,
  toTrackState,
} from './room-state.record';

/** Why a change happened: the webhook event, or a reconcile run. */
export interface ChangeCause {
  cause: string;
  eventId?: string;
  reconciled: boolean;
  /** LiveKit's time of the event, or the reconcile's time (ms). */
  at: number;
  /** Local time (ms). */
  now: number;
}

/**
 * Applies changes to one room record and collects the change events. Every rule is decided by sids, never
 * by arrival order: ended sids stay ended, a session replaces another of the same identity only when it
 * joined later, and participant info replaces older info only with a higher LiveKit `version`. So events
 * applied in any order, by any number of instances, end in the same state.
 */
export class RoomMutation {
  readonly changes: LiveKitRoomChange[] = [];

  constructor(
    readonly record: RoomRecord,
    private readonly cause: ChangeCause,
  ) {}

  private emit(type: LiveKitRoomChangeType, fields: Partial<LiveKitRoomChange> = {}): void {
    const room = publicRoomInfo(this.record);
    this.changes.push({
      type,
      room: fields.roomState?.name ?? room?.name ?? '',
      roomSid: fields.roomState?.sid ?? room?.sid ?? '',
      roomState: room,
      ...fields,
      reconciled: this.cause.reconciled,
      cause: this.cause.cause,
      ...(this.cause.eventId === undefined ? {} : { eventId: this.cause.eventId }),
      at: this.cause.at,
    });
  }

  private touch(): void {
    this.record.seenAt = this.cause.now;
    if (this.record.room) {
      this.record.room.seenAt = this.cause.now;
      this.record.room.updatedAt = Math.max(this.record.room.updatedAt, this.cause.at);
    }
  }

  isFinished(roomSid: string): boolean {
    return roomSid !== '' && this.record.finishedRooms[roomSid] !== undefined;
  }

  /** Starts a room session (replacing the live one, which then counts as finished). */
  startRoom(info: RoomInfo): void {
    if (this.record.room) this.finishRoom(this.record.room.sid);
    this.record.room = { ...info, updatedAt: Math.max(info.updatedAt, this.cause.at), seenAt: this.cause.now };
    this.touch();
    this.emit('room_started');
  }

  /** Updates the live room's fields; emits `room_updated` when any changed. */
  updateRoom(info: Partial<Pick<RoomInfo, 'metadata' | 'maxParticipants' | 'createdAt'>>): void {
    const room = this.record.room;
    if (!room) return;
    const changed = (Object.keys(info) as (keyof typeof info)[]).filter((key) => info[key] !== undefined && info[key] !== room[key]);
    if (changed.length === 0) return;
    Object.assign(room, Object.fromEntries(changed.map((key) => [key, info[key]])));
    this.touch();
    if (changed.some((key) => key !== 'createdAt')) this.emit('room_updated');
  }

  /** Ends the room session `sid`: its participants leave, the record keeps its sid only. */
  finishRoom(sid: string): void {
    remember(this.record.finishedRooms, sid, this.cause.at, MAX_FINISHED_ROOMS);
    const room = this.record.room;
    if (!room || room.sid !== sid) return;
    for (const identity of Object.keys(this.record.participants)) this.removeParticipant(identity);
    const before = publicRoomInfo(this.record);
    this.record.room = undefined;
    this.record.participants = {};
    this.record.seenAt = this.cause.now;
    this.emit('room_finished', { roomState: before });
  }

  /** Adds a participant session; the tracks given (and not ended) come with it. */
  addParticipant(fields: Omit<ParticipantRecord, 'tracks' | 'seenAt'>, tracks: LiveKitTrackState[]): void {
    const current = this.record.participants[fields.identity];
    if (current) this.removeParticipant(fields.identity);
    const participant: ParticipantRecord = { ...fields, tracks: {}, seenAt: this.cause.now };
    this.record.participants[fields.identity] = participant;
    this.touch();
    this.emit('participant_joined', { participant: publicParticipantFields(participant) });
    for (const track of tracks) this.publishTrack(participant, track);
  }

  /** Replaces a participant's fields with newer info; emits `participant_updated` when any changed. */
  updateParticipant(participant: ParticipantRecord, fields: Omit<ParticipantRecord, 'tracks' | 'seenAt' | 'since'>): void {
    const before = JSON.stringify(publicParticipantFields(participant));
    Object.assign(participant, fields, {
      joinedAt: fields.joinedAt || participant.joinedAt,
      // A join's info predates the tracks published since: a publisher stays one while it has tracks.
      isPublisher: fields.isPublisher || Object.keys(participant.tracks).length > 0,
    });
    participant.since = participant.joinedAt || participant.since;
    participant.seenAt = this.cause.now;
    this.touch();
    if (JSON.stringify(publicParticipantFields(participant)) !== before) {
      this.emit('participant_updated', { participant: publicParticipantFields(participant) });
    }
  }

  /** Ends the session of `identity`: it leaves with its tracks. */
  removeParticipant(identity: string): void {
    const participant = this.record.participants[identity];
    if (!participant) return;
    remember(this.record.endedParticipants, participant.sid, this.cause.at, MAX_ENDED_SIDS);
    for (const trackSid of Object.keys(participant.tracks)) remember(this.record.endedTracks, trackSid, this.cause.at, MAX_ENDED_SIDS);
    delete this.record.participants[identity];
    this.touch();
    this.emit('participant_left', { participant: publicParticipantFields(participant) });
  }

  /** Adds or updates a track, unless it was unpublished already. */
  publishTrack(participant: ParticipantRecord, track: LiveKitTrackState): void {
    if (this.record.endedTracks[track.sid] !== undefined) return;
    const current = participant.tracks[track.sid];
    participant.tracks[track.sid] = { ...track, seenAt: this.cause.now };
    participant.isPublisher = true;
    participant.seenAt = this.cause.now;
    this.touch();
    if (!current) {
      this.emit('track_published', { participant: publicParticipantFields(participant), track });
    } else if (JSON.stringify(publicTrack(current)) !== JSON.stringify(track)) {
      this.emit('track_updated', { participant: publicParticipantFields(participant), track });
    }
  }

  unpublishTrack(participant: ParticipantRecord, trackSid: string): void {
    remember(this.record.endedTracks, trackSid, this.cause.at, MAX_ENDED_SIDS);
    const track = participant.tracks[trackSid];
    if (!track) return;
    delete participant.tracks[trackSid];
    participant.seenAt = this.cause.now;
    this.touch();
    this.emit('track_unpublished', { participant: publicParticipantFields(participant), track: publicTrack(track) });
  }
}

/** LiveKit's time of an event in ms (`createdAt` is in seconds). */
export function eventTime(event: WebhookEvent): number {
  return Number(event.createdAt) * 1000;
}

/**
 * LiveKit's event times are whole seconds: a session known only from an event's time (a track event names
 * no join time) counts as newer than one known by its join time only when its event came a full second later.
 */
const SECOND_MS = 1000;

/**
 * Whether the room session `info` is the live one, after making it so when it is newer: a different sid
 * that is not finished replaces the live session when it was created later (by `creationTime`, else by
 * the event's time), and only for events that add something (`additive`). An older session is ignored,
 * not remembered as finished: only LiveKit's own word (`room_finished`, or RoomService) ends a sid.
 */
function enterRoomSession(mutation: RoomMutation, info: RoomInfo, additive: boolean): boolean {
  const live = mutation.record.room;
  if (info.sid === '' || mutation.isFinished(info.sid)) return false;
  if (live?.sid === info.sid) {
    if (info.createdAt > 0)
      mutation.updateRoom({ metadata: info.metadata, maxParticipants: info.maxParticipants, createdAt: info.createdAt });
    return true;
  }
  if (!additive) return false;
  if (live) {
    const newer = info.createdAt > 0 ? info.createdAt > live.createdAt : info.updatedAt >= live.createdAt + SECOND_MS;
    if (!newer) return false;
  }
  mutation.startRoom(info);
  return true;
}

/**
 * The live session of `fields.identity` when it is `fields.sid`, after making it so when the session is
 * newer than the one held: by join time, or, for a session only a track event names, by that event's time
 * (a full second later). An older session is ignored, not ended: its own `participant_left` ends it.
 */
function enterParticipantSession(
  mutation: RoomMutation,
  fields: Omit<ParticipantRecord, 'tracks' | 'seenAt' | 'since'>,
  at: number,
): ParticipantRecord | undefined {
  const record = mutation.record;
  if (fields.sid === '' || record.endedParticipants[fields.sid] !== undefined) return undefined;
  const current = record.participants[fields.identity];
  if (current?.sid === fields.sid) return current;
  if (current) {
    const newer = fields.joinedAt > 0 ? fields.joinedAt > current.since : at >= current.since + SECOND_MS;
    if (!newer) return undefined;
  }
  mutation.addParticipant({ ...fields, since: fields.joinedAt || at }, []);
  return record.participants[fields.identity];
}

/** Applies one verified webhook event to the record of its room; returns the record (undefined when none is needed). */
export function applyEvent(
  record: RoomRecord | undefined,
  event: WebhookEvent,
  now: number,
): { record?: RoomRecord; changes: LiveKitRoomChange[] } {
  if (!event.room?.name) return { record, changes: [] };
  const at = eventTime(event);
  const mutation = new RoomMutation(record ?? emptyRecord(now), {
    cause: event.event,
    eventId: event.id || undefined,
    reconciled: false,
    at,
    now,
  });
  const info = toRoomInfo(event.room, at);
  switch (event.event) {
    case 'room_started':
      enterRoomSession(mutation, info, true);
      break;
    case 'room_finished':
      mutation.finishRoom(info.sid);
      break;
    case 'participant_joined':
    case 'participant_left':
    case 'participant_connection_aborted':
    case 'track_published':
    case 'track_unpublished':
      applyParticipantEvent(mutation, event, info, at);
      break;
    default:
      return { record, changes: [] };
  }
  return { record: mutation.record, changes: mutation.changes };
}

function applyParticipantEvent(mutation: RoomMutation, event: WebhookEvent, info: RoomInfo, at: number): void {
  if (!event.participant?.identity) return;
  const fields = toParticipantFields(event.participant);
  const record = mutation.record;
  switch (event.event) {
    case 'participant_joined': {
      if (!enterRoomSession(mutation, info, true)) return;
      const participant = enterParticipantSession(mutation, fields, at);
      if (!participant) return;
      if (fields.version >= participant.version) mutation.updateParticipant(participant, fields);
      for (const track of event.participant.tracks) mutation.publishTrack(participant, toTrackState(track));
      return;
    }
    case 'track_published': {
      if (!event.track?.sid || !enterRoomSession(mutation, info, true)) return;
      const participant = enterParticipantSession(mutation, fields, at);
      if (participant) mutation.publishTrack(participant, toTrackState(event.track));
      return;
    }
    case 'participant_left':
    case 'participant_connection_aborted': {
      // Whatever we hold, this session is over: a late `joined` of it must not bring it back.
      const live = enterRoomSession(mutation, info, false);
      if (live && record.participants[fields.identity]?.sid === fields.sid) mutation.removeParticipant(fields.identity);
      else if (fields.sid) remember(record.endedParticipants, fields.sid, at, MAX_ENDED_SIDS);
      return;
    }
    case 'track_unpublished': {
      if (!event.track?.sid) return;
      const live = enterRoomSession(mutation, info, false);
      const participant = record.participants[fields.identity];
      if (live && participant?.sid === fields.sid) mutation.unpublishTrack(participant, event.track.sid);
      else remember(record.endedTracks, event.track.sid, at, MAX_ENDED_SIDS);
      return;
    }
  }
}
