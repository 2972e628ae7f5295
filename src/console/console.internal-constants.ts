/** Internal: the guard that signs people in when the host gives one (`extras.guard`), or null. */
export const CONSOLE_HOST_GUARD = Symbol('CONSOLE_HOST_GUARD');
/** Internal: the console's route prefix, without slashes. */
export const CONSOLE_PATH = Symbol('CONSOLE_PATH');

export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60_000;
export const DEFAULT_MAX_SESSIONS = 100;
export const DEFAULT_DELIVERY_LOG_SIZE = 200;
export const MAX_DELIVERY_LOG_SIZE = 10_000;
export const DEFAULT_ROOMS_POLL_INTERVAL_MS = 2000;
export const DEFAULT_MAX_ROOMS = 50;
export const DEFAULT_METRICS_SAMPLE_INTERVAL_MS = 10_000;
/** The Tokens page's window. */
export const METRICS_WINDOW_MS = 15 * 60_000;
/** Failed sign-ins accepted per minute in all; past it sign-in answers 429 until the minute is over. */
export const MAX_FAILED_SIGN_INS_PER_MINUTE = 20;
/** The longest error message or refusal detail a delivery keeps. */
export const MAX_ERROR_TEXT = 300;
