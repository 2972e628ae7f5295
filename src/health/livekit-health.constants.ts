export const DEFAULT_HEALTH_PATH = 'health';
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;

/** Keys of the readiness indicators in the health report. */
export const LIVEKIT_SERVER_INDICATOR = 'livekit';
export const WEBHOOK_QUEUE_INDICATOR = 'redis';

/** Messages of the health indicators, in one place. */
export const HEALTH_MESSAGES = {
  livekitUnreachable: (detail: string) => `LiveKit server unreachable: ${detail}`,
  livekitServerError: (status: number) => `LiveKit server answered HTTP ${status}`,
  livekitTimeout: (ms: number) => `LiveKit server did not answer within ${ms} ms`,
  redisUnreachable: 'webhook queue Redis does not answer PING',
  becameReady: 'ready: every dependency is up',
  becameUnready: (down: string) => `not ready: ${down} down`,
} as const;
