/** Injection token of {@link LiveKitConsoleModuleOptions}. */
export const LIVEKIT_CONSOLE_MODULE_OPTIONS = Symbol('LIVEKIT_CONSOLE_MODULE_OPTIONS');

/** Route prefix of the console. */
export const DEFAULT_CONSOLE_PATH = 'console';

/** Header that carries a session's CSRF token on every console action. */
export const LIVEKIT_CONSOLE_CSRF_HEADER = 'x-livekit-console-csrf';

/** Name of the session cookie. */
export const LIVEKIT_CONSOLE_SESSION_COOKIE = 'livekit_console_session';
