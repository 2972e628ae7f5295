/** Injection token of {@link LiveKitParticipantsModuleOptions}. */
export const LIVEKIT_PARTICIPANTS_MODULE_OPTIONS = Symbol('LIVEKIT_PARTICIPANTS_MODULE_OPTIONS');

export const DEFAULT_MAX_PARTICIPANT_CONNECTIONS = 10;
export const DEFAULT_PARTICIPANT_CONNECT_TIMEOUT_MS = 15_000;
/** Tracks remembered for a late subscriber of `tracks$`. */
export const TRACK_REPLAY_BUFFER = 64;
