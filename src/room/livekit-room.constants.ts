/** Injection token of {@link LiveKitRoomModuleOptions}. */
export const LIVEKIT_ROOM_MODULE_OPTIONS = Symbol('LIVEKIT_ROOM_MODULE_OPTIONS');

/** Route prefix of the admin endpoints. */
export const LIVEKIT_ROOMS_PATH = 'livekit/rooms';

/** Realm announced in `WWW-Authenticate` when the admin guard refuses a request. */
export const ADMIN_AUTH_REALM = 'livekit-admin';

export const DEFAULT_ROOM_REQUEST_TIMEOUT_MS = 10_000;

/** Longest room name, identity, participant name or topic accepted in a body. */
export const MAX_ROOM_NAME_LENGTH = 256;
/** Longest room or participant metadata accepted in a body (livekit-server's default `limit.max_metadata_size`). */
export const MAX_ROOM_METADATA_LENGTH = 64_000;
/** Largest data message, in bytes after decoding: LiveKit advises keeping reliable messages under 15 KiB. */
export const MAX_DATA_BYTES = 15 * 1024;
/** Most destination identities of one data message. */
export const MAX_DATA_DESTINATIONS = 100;

/** A LiveKit track sid, as in `TR_AMkSuC2pD3Lq`. */
export const TRACK_SID_PATTERN = /^TR_[A-Za-z0-9]+$/;
