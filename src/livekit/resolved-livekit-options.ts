import type { VideoGrant } from 'livekit-server-sdk';
import type { LiveKitModuleOptions } from './interfaces/livekit-module-options.interface';
import {
  DEFAULT_LIVEKIT_URL,
  DEFAULT_TOKEN_BODY_LIMIT,
  DEFAULT_TOKEN_TTL,
  DEFAULT_WEBHOOK_BODY_LIMIT,
  DEFAULT_WEBHOOK_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_WEBHOOK_DEDUPE_MAX_ENTRIES,
  DEFAULT_WEBHOOK_DEDUPE_TTL_MS,
  DEFAULT_WEBHOOK_HANDLER_TIMEOUT_MS,
} from './livekit.constants';
import { parseDurationSeconds } from './duration';
import { LiveKitOptionsError } from './livekit.errors';

/** {@link LiveKitModuleOptions} checked once at boot, with every default applied. */
export class ResolvedLiveKitOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly url: string;
  readonly tokenTtlSeconds: number;
  readonly defaultGrants: Omit<VideoGrant, 'room' | 'roomJoin'>;
  readonly tokenBodyLimit: number;
  readonly webhookBodyLimit: number;
  readonly webhookClockToleranceSeconds: number;
  readonly webhookHandlerTimeoutMs: number;
  readonly webhookDedupeMaxEntries: number;
  readonly webhookDedupeTtlMs: number;
  private readonly secrets: ReadonlyMap<string, string>;

  constructor(options: LiveKitModuleOptions) {
    const pairs = new Map<string, string>();
    if (options.apiKey !== undefined || options.apiSecret !== undefined) {
      if (!options.apiKey || !options.apiSecret) {
        throw new LiveKitOptionsError('apiKey and apiSecret must be given together', 'set both, or only `keys`');
      }
      pairs.set(options.apiKey, options.apiSecret);
    }
    for (const [key, secret] of Object.entries(options.keys ?? {})) {
      if (!key || !secret) {
        throw new LiveKitOptionsError(`keys has an empty key or secret (${JSON.stringify(key)})`, 'give every key a secret');
      }
      if (pairs.has(key) && pairs.get(key) !== secret) {
        throw new LiveKitOptionsError(`key ${key} is given two different secrets`, 'keep one secret per key');
      }
      pairs.set(key, secret);
    }
    const first = pairs.entries().next();
    if (first.done) {
      throw new LiveKitOptionsError('no LiveKit API key is configured', 'pass apiKey and apiSecret, or keys');
    }
    [this.apiKey, this.apiSecret] = first.value;
    this.secrets = pairs;

    this.url = options.url ?? DEFAULT_LIVEKIT_URL;
    const ttl = parseDurationSeconds(options.tokenTtl ?? DEFAULT_TOKEN_TTL);
    if (ttl === undefined) {
      throw new LiveKitOptionsError(`tokenTtl ${JSON.stringify(options.tokenTtl)} is not a duration`, "use seconds or '10m', '6h', '1d'");
    }
    this.tokenTtlSeconds = ttl;
    this.defaultGrants = options.defaultGrants ?? { canPublish: true, canSubscribe: true, canPublishData: true };
    this.tokenBodyLimit = positive('tokenBodyLimit', options.tokenBodyLimit ?? DEFAULT_TOKEN_BODY_LIMIT);
    this.webhookBodyLimit = positive('webhookBodyLimit', options.webhookBodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT);
    this.webhookClockToleranceSeconds = nonNegative(
      'webhookClockToleranceSeconds',
      options.webhookClockToleranceSeconds ?? DEFAULT_WEBHOOK_CLOCK_TOLERANCE_SECONDS,
    );
    this.webhookHandlerTimeoutMs = positive(
      'webhookHandlerTimeoutMs',
      options.webhookHandlerTimeoutMs ?? DEFAULT_WEBHOOK_HANDLER_TIMEOUT_MS,
    );
    this.webhookDedupeMaxEntries = positive(
      'webhookDedupeMaxEntries',
      options.webhookDedupeMaxEntries ?? DEFAULT_WEBHOOK_DEDUPE_MAX_ENTRIES,
    );
    this.webhookDedupeTtlMs = positive('webhookDedupeTtlMs', options.webhookDedupeTtlMs ?? DEFAULT_WEBHOOK_DEDUPE_TTL_MS);
  }

  /** Secret of an API key accepted on webhooks, or undefined for an unknown key. */
  secretFor(apiKey: string): string | undefined {
    return this.secrets.get(apiKey);
  }

  /** Every accepted API key, without secrets. */
  get keyIds(): string[] {
    return [...this.secrets.keys()];
  }
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new LiveKitOptionsError(`${name} must be a positive integer, got ${value}`, `set ${name} to a positive integer`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new LiveKitOptionsError(`${name} must be zero or more, got ${value}`, `set ${name} to a number ≥ 0`);
  }
  return value;
}
