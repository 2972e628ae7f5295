export const DEFAULT_HEALTH_PATH = 'health';
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;
export const DEFAULT_LIVEKIT_CHECK_REUSE_MS = 1000;

/** Keys of the readiness indicators in the health report. */
export const LIVEKIT_SERVER_INDICATOR = 'livekit';
export const WEBHOOK_QUEUE_INDICATOR = 'redis';

/** Why the LiveKit check is down, in its `reason` field. */
export const LIVEKIT_DOWN_REASONS = {
  credentialsRejected: 'credentials rejected',
  unreachable: 'unreachable',
  timeout: 'timeout',
  serverError: 'server error',
  unexpectedAnswer: 'unexpected answer',
} as const;

/** Messages of the health indicators, in one place. */
export const HEALTH_MESSAGES = {
  livekitUnreachable: (detail: string) => `LiveKit server unreachable: ${detail}`,
  livekitCredentialsRejected: (status: number) =>
    `LiveKit server rejected our credentials: HTTP ${status} (check our API key and secret against its keys)`,
  livekitServerError: (status: number) => `LiveKit server answered HTTP ${status}`,
  livekitUnexpectedAnswer: 'LiveKit server did not answer as a LiveKit RoomService does',
  livekitTimeout: (ms: number) => `LiveKit server did not answer within ${ms} ms`,
  redisUnreachable: 'webhook queue Redis does not answer PING',
  becameReady: 'ready: every dependency is up',
  becameUnready: (down: string) => `not ready: ${down} down`,
} as const;
