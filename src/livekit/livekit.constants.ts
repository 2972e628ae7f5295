/** Injection token of the resolved {@link LiveKitModuleOptions}. */
export const LIVEKIT_MODULE_OPTIONS = Symbol('LIVEKIT_MODULE_OPTIONS');

/**
 * Provide a {@link LiveKitTelemetry} subclass under this token, from a global module, and
 * `LiveKitModule` uses it instead of its no-op default (`LiveKitMetricsModule` does so).
 */
export const LIVEKIT_TELEMETRY = Symbol('LIVEKIT_TELEMETRY');

export const DEFAULT_LIVEKIT_URL = 'ws://localhost:7880';
export const DEFAULT_TOKEN_TTL = '6h';
/** Room for every field the standard endpoint accepts at its own limits (16 KiB of metadata, attributes, room config). */
export const DEFAULT_TOKEN_BODY_LIMIT = 64 * 1024;
export const DEFAULT_WEBHOOK_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_WEBHOOK_CLOCK_TOLERANCE_SECONDS = 10;
export const DEFAULT_WEBHOOK_HANDLER_TIMEOUT_MS = 5000;
export const DEFAULT_WEBHOOK_DEDUPE_MAX_ENTRIES = 10_000;
export const DEFAULT_WEBHOOK_DEDUPE_TTL_MS = 15 * 60_000;
