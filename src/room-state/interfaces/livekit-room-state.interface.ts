/**
 * The room state as this library projects it from webhooks and repairs it from RoomService: plain JSON
 * (times in epoch milliseconds, enums by their LiveKit name), the same in memory, in Redis and on the wire.
 */

/** A track a participant published. */
export interface LiveKitTrackState {
  /** `TR_…`, unique for each publication. */
  sid: string;
  name: string;
  /** `AUDIO`, `VIDEO` or `DATA`. */
  type: string;
  /** `CAMERA`, `MICROPHONE`, `SCREEN_SHARE`, `SCREEN_SHARE_AUDIO` or `UNKNOWN`. */
  source: string;
  muted: boolean;
  mimeType: string;
  /** Video only; 0 otherwise. */
  width: number;
  height: number;
  simulcast: boolean;
}

/** A participant in a room, with the tracks it publishes. */
export interface LiveKitParticipantState {
  /** `PA_…`: one session; a participant that reconnects with the same identity gets a new sid. */
  sid: string;
  identity: string;
  name: string;
  /** `STANDARD`, `AGENT`, `INGRESS`, `EGRESS`, `SIP`, `CONNECTOR` or `BRIDGE`. */
  kind: string;
  /** `JOINING`, `JOINED`, `ACTIVE` or `DISCONNECTED`, as LiveKit last reported it. */
  state: string;
  metadata: string;
  attributes: Record<string, string>;
  /** When the session joined, by LiveKit's clock (ms); 0 when only a track event has named it yet. */
  joinedAt: number;
  /** LiveKit's version counter of this participant's info; newer info replaces older, never the reverse. */
  version: number;
  isPublisher: boolean;
  tracks: LiveKitTrackState[];
}

/** A room, with its participants. */
export interface LiveKitRoomState {
  name: string;
  /** `RM_…`: one session of the room; a room that ends and starts again gets a new sid. */
  sid: string;
  metadata: string;
  /** When the room was created, by LiveKit's clock (ms); 0 when not known yet. */
  createdAt: number;
  /** The LiveKit time (ms) of the newest event or repair applied to this room. */
  updatedAt: number;
  maxParticipants: number;
  participants: LiveKitParticipantState[];
}

/** What changed. */
export type LiveKitRoomChangeType =
  | 'room_started'
  | 'room_updated'
  | 'room_finished'
  | 'participant_joined'
  | 'participant_updated'
  | 'participant_left'
  | 'track_published'
  | 'track_updated'
  | 'track_unpublished';

/**
 * One change of the projection, delivered to `changes$`, `@OnLiveKitRoomChange()` handlers and the SSE stream.
 * `participant`/`track` hold the state after the change (before it, for `participant_left` and `track_unpublished`).
 */
export interface LiveKitRoomChange {
  type: LiveKitRoomChangeType;
  room: string;
  roomSid: string;
  /** The room after the change, without its participants; the room before it for `room_finished`. */
  roomState?: Omit<LiveKitRoomState, 'participants'>;
  participant?: Omit<LiveKitParticipantState, 'tracks'>;
  track?: LiveKitTrackState;
  /** True when the reconciler made this change, because webhooks missed it (LiveKit dropped them, or we were down). */
  reconciled: boolean;
  /** The webhook event that caused the change (`participant_left`…), or `reconcile`. */
  cause: string;
  /** The webhook event's id; absent for reconciled changes. */
  eventId?: string;
  /** LiveKit's time of the event (ms), or the time of the reconcile run. */
  at: number;
}

/** What one reconcile run found and repaired. */
export interface LiveKitRoomStateReconcileResult {
  /** Rooms compared (every room LiveKit lists, and every room we held). */
  rooms: number;
  /** Differences found, by kind (e.g. `participant_missing`: LiveKit lists it, we did not have it). */
  drift: Partial<Record<LiveKitRoomDriftKind, number>>;
  /** The differences repaired: all but those the projection learned after the listing (kept as newer). */
  repaired: Partial<Record<LiveKitRoomDriftKind, number>>;
  /** The changes made, each also emitted with `reconciled: true`. */
  changes: LiveKitRoomChange[];
  startedAt: number;
  durationMs: number;
}

/**
 * A difference between the projection and LiveKit: `_missing` LiveKit has it and we did not,
 * `_stale` we had it and LiveKit does not, `_changed` both have it with different fields.
 */
export type LiveKitRoomDriftKind =
  | 'room_missing'
  | 'room_stale'
  | 'room_changed'
  | 'participant_missing'
  | 'participant_stale'
  | 'participant_changed'
  | 'track_missing'
  | 'track_stale'
  | 'track_changed';
