import { Logger } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import type { LiveKitModuleOptions } from '../../index';
import { ConfigValidationError } from './config.errors';
import { type Env, isProduction, readDurationMs, readKeyPairs, readPositiveInt, readString } from './env-readers';
import { readJsonBodyLimit } from './server.config';

export const DEV_API_KEY = 'devkey';
export const DEV_API_SECRET = 'secret';
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** Reads the LiveKit options from the environment; in production, refuses missing or weak credentials. */
export function loadLiveKitOptions(env: Env, logger = new Logger('LiveKitConfig')): LiveKitModuleOptions {
  const production = isProduction(env);
  const keys = readKeyPairs(env, 'LIVEKIT_KEYS');
  let apiKey = readString(env, 'LIVEKIT_API_KEY');
  let apiSecret = readString(env, 'LIVEKIT_API_SECRET');
  const hasKeys = Object.keys(keys).length > 0;

  if (production) {
    if (!hasKeys || apiKey || apiSecret) {
      if (!apiKey) throw missing('LIVEKIT_API_KEY');
      if (!apiSecret) throw missing('LIVEKIT_API_SECRET');
    }
    for (const [name, secret] of [['LIVEKIT_API_SECRET', apiSecret], ...Object.keys(keys).map((k) => ['LIVEKIT_KEYS', keys[k]])]) {
      if (secret !== undefined && secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
        throw new ConfigValidationError(
          name as string,
          `holds a secret shorter than ${MIN_PRODUCTION_SECRET_LENGTH} characters`,
          'generate a long random secret (e.g. `openssl rand -base64 48`) and configure the same one in livekit-server',
        );
      }
    }
  } else if (!hasKeys && (!apiKey || !apiSecret)) {
    apiKey ??= DEV_API_KEY;
    apiSecret ??= DEV_API_SECRET;
    logger.warn(
      `!!! LIVEKIT_API_KEY/LIVEKIT_API_SECRET not set: using the development credentials "${DEV_API_KEY}" and a well-known secret. ` +
        'Anyone can mint tokens and forge webhooks. Set NODE_ENV=production and real credentials before deploying. !!!',
    );
  }

  const url = readString(env, 'LIVEKIT_URL');
  if (production && !url) {
    logger.warn('LIVEKIT_URL is not set: POST /livekit/token will hand clients ws://localhost:7880');
  }
  return {
    apiKey,
    apiSecret,
    keys,
    url,
    tokenTtl: readString(env, 'LIVEKIT_TOKEN_TTL'),
    tokenBodyLimit: readJsonBodyLimit(env),
    webhookBodyLimit: readPositiveInt(env, 'WEBHOOK_BODY_LIMIT', 1024 * 1024),
    webhookClockToleranceSeconds: readPositiveInt(env, 'WEBHOOK_CLOCK_TOLERANCE_SECONDS', 10),
    webhookHandlerTimeoutMs: readPositiveInt(env, 'WEBHOOK_HANDLER_TIMEOUT_MS', 5000),
    webhookDedupeMaxEntries: readPositiveInt(env, 'WEBHOOK_DEDUPE_MAX_ENTRIES', 10_000),
    webhookDedupeTtlMs: readDurationMs(env, 'WEBHOOK_DEDUPE_TTL', 15 * 60_000),
  };
}

function missing(name: string): ConfigValidationError {
  return new ConfigValidationError(name, 'is required when NODE_ENV=production', `set ${name} to the value configured in livekit-server`);
}

export const livekitConfig = registerAs('livekit', () => loadLiveKitOptions(process.env));
