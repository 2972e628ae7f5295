/** Injection token of {@link LiveKitRoomStateModuleOptions}. */
export const LIVEKIT_ROOM_STATE_OPTIONS = Symbol('LIVEKIT_ROOM_STATE_OPTIONS');

/** Route prefix of the room state endpoints. */
export const LIVEKIT_ROOM_STATE_PATH = 'rooms-state';

/** Metadata key of `@OnLiveKitRoomChange()` methods. */
export const LIVEKIT_ROOM_CHANGE_HANDLER_METADATA = 'livekit:room_change_handler';

export const DEFAULT_ROOM_STATE_KEY_PREFIX = 'livekit:room-state';
export const DEFAULT_RECONCILE_INTERVAL_MS = 30_000;
export const DEFAULT_RECONCILE_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_SSE_HEARTBEAT_MS = 15_000;
export const DEFAULT_SSE_MAX_CLIENTS = 100;
export const DEFAULT_FINISHED_ROOM_RETENTION_MS = 3_600_000;

/** The webhook events the projection reads. */
export const ROOM_STATE_EVENTS = [
  'room_started',
  'room_finished',
  'participant_joined',
  'participant_left',
  'participant_connection_aborted',
  'track_published',
  'track_unpublished',
] as const;
