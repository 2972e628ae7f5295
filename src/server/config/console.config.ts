import { Logger } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import type { LiveKitConsoleModuleOptions } from '../../console';
import { MIN_ADMIN_TOKEN_LENGTH } from './admin-api.config';
import { ConfigValidationError } from './config.errors';
import { type Env, isProduction, readDurationMs, readEnum, readString } from './env-readers';

const TOKEN_FIX = 'set ADMIN_API_TOKEN (the console signs in with it) to a long random secret, e.g. `openssl rand -base64 48`';

/** Whether the standalone server serves the console at /console: CONSOLE_ENABLED set to anything but `false`. */
export function isConsoleRequested(env: Env): boolean {
  const raw = readString(env, 'CONSOLE_ENABLED');
  return raw !== undefined && raw.toLowerCase() !== 'false';
}

/**
 * Reads CONSOLE_ENABLED, ADMIN_API_TOKEN (what the sign-in form asks for), CONSOLE_SESSION_TTL and
 * CONSOLE_TEST_WEBHOOK_URL; the token is required when enabled, and long in production.
 */
export function loadConsoleOptions(env: Env, logger = new Logger('ConsoleConfig')): LiveKitConsoleModuleOptions {
  if (readEnum(env, 'CONSOLE_ENABLED', ['true', 'false'], 'false') === 'false') return {};
  const adminToken = readString(env, 'ADMIN_API_TOKEN');
  if (!adminToken) throw new ConfigValidationError('ADMIN_API_TOKEN', 'is required when CONSOLE_ENABLED=true', TOKEN_FIX);
  if (/\s/.test(adminToken)) throw new ConfigValidationError('ADMIN_API_TOKEN', 'contains whitespace', TOKEN_FIX);
  if (adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    if (isProduction(env)) {
      throw new ConfigValidationError('ADMIN_API_TOKEN', `holds a token shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters`, TOKEN_FIX);
    }
    logger.warn(`ADMIN_API_TOKEN is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters: accepted outside production only`);
  }
  const testWebhookUrl = readString(env, 'CONSOLE_TEST_WEBHOOK_URL');
  if (testWebhookUrl !== undefined && !/^https?:\/\//i.test(testWebhookUrl)) {
    throw new ConfigValidationError(
      'CONSOLE_TEST_WEBHOOK_URL',
      'is not an http:// or https:// URL',
      'write CONSOLE_TEST_WEBHOOK_URL=http://host:port/livekit/webhook',
    );
  }
  return {
    adminToken,
    sessionTtlMs: readDurationMs(env, 'CONSOLE_SESSION_TTL', 8 * 60 * 60_000),
    ...(testWebhookUrl ? { testWebhookUrl } : {}),
  };
}

export const consoleConfig = registerAs('console', () => loadConsoleOptions(process.env));
