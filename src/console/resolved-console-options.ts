import { LiveKitOptionsError } from '../livekit/livekit.errors';
import type { LiveKitConsoleModuleOptions } from './interfaces/livekit-console-module-options.interface';
import {
  DEFAULT_DELIVERY_LOG_SIZE,
  DEFAULT_MAX_ROOMS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_METRICS_SAMPLE_INTERVAL_MS,
  DEFAULT_ROOMS_POLL_INTERVAL_MS,
  DEFAULT_SESSION_TTL_MS,
  MAX_DELIVERY_LOG_SIZE,
} from './console.internal-constants';

function positiveInt(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw new LiveKitOptionsError(`LiveKitConsoleModule option ${name} is ${String(value)}`, `pass a positive integer up to ${max}`);
  }
  return value;
}

/** The console's options with their defaults, checked at boot. */
export class ResolvedConsoleOptions {
  readonly adminToken: string | undefined;
  readonly sessionTtlMs: number;
  readonly maxSessions: number;
  readonly secureCookie: boolean | 'auto';
  readonly allowedOrigins: ReadonlySet<string>;
  readonly deliveryLogSize: number;
  readonly testWebhookUrl: string | undefined;
  readonly roomsPollIntervalMs: number;
  readonly maxRooms: number;
  readonly metricsSampleIntervalMs: number;

  constructor(options: LiveKitConsoleModuleOptions, hasHostGuard: boolean) {
    const token = options.adminToken;
    if (!hasHostGuard && (!token || /\s/.test(token))) {
      throw new LiveKitOptionsError(
        'LiveKitConsoleModule signs people in with adminToken, which is ' + (token ? 'not a single word' : 'not set'),
        'pass adminToken (a long random secret, e.g. `openssl rand -base64 48`; ADMIN_API_TOKEN in the standalone server), ' +
          'or your own guard with `guard`',
      );
    }
    this.adminToken = hasHostGuard ? undefined : token;
    this.sessionTtlMs = positiveInt('sessionTtlMs', options.sessionTtlMs, DEFAULT_SESSION_TTL_MS);
    this.maxSessions = positiveInt('maxSessions', options.maxSessions, DEFAULT_MAX_SESSIONS, 100_000);
    this.secureCookie = options.secureCookie ?? 'auto';
    this.allowedOrigins = new Set((options.allowedOrigins ?? []).map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
    this.deliveryLogSize = positiveInt('deliveryLogSize', options.deliveryLogSize, DEFAULT_DELIVERY_LOG_SIZE, MAX_DELIVERY_LOG_SIZE);
    if (options.testWebhookUrl !== undefined && !/^https?:\/\//.test(options.testWebhookUrl)) {
      throw new LiveKitOptionsError(
        `LiveKitConsoleModule option testWebhookUrl is ${options.testWebhookUrl}`,
        'pass an http:// or https:// URL',
      );
    }
    this.testWebhookUrl = options.testWebhookUrl;
    this.roomsPollIntervalMs = positiveInt('roomsPollIntervalMs', options.roomsPollIntervalMs, DEFAULT_ROOMS_POLL_INTERVAL_MS);
    this.maxRooms = positiveInt('maxRooms', options.maxRooms, DEFAULT_MAX_ROOMS, 1000);
    this.metricsSampleIntervalMs = positiveInt(
      'metricsSampleIntervalMs',
      options.metricsSampleIntervalMs,
      DEFAULT_METRICS_SAMPLE_INTERVAL_MS,
    );
  }
}
