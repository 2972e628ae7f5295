/** Injection token of {@link LiveKitAgentDispatchModuleOptions}. */
export const LIVEKIT_AGENT_DISPATCH_MODULE_OPTIONS = Symbol('LIVEKIT_AGENT_DISPATCH_MODULE_OPTIONS');

/** Route of the admin endpoints, below the rooms' (`/livekit/rooms/:room/agent-dispatches`). */
export const LIVEKIT_AGENT_DISPATCHES_PATH = 'livekit/rooms/:room/agent-dispatches';

/** A LiveKit agent dispatch id, as in `AD_FxKNMiiXRRfY`. */
export const AGENT_DISPATCH_ID_PATTERN = /^AD_[A-Za-z0-9]+$/;
