import { Logger } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import type { LiveKitRoomModuleOptions } from '../../index';
import { ConfigValidationError } from './config.errors';
import { type Env, isProduction, readEnum, readString } from './env-readers';

export const MIN_ADMIN_TOKEN_LENGTH = 32;

const TOKEN_FIX = 'set ADMIN_API_TOKEN to a long random secret, e.g. `openssl rand -base64 48`';

/**
 * Whether the standalone server mounts the admin endpoints: ADMIN_API_ENABLED set to anything but
 * `false`. A value other than `true` then stops the boot in {@link loadAdminApiOptions}, naming it.
 */
export function isAdminApiRequested(env: Env): boolean {
  const raw = readString(env, 'ADMIN_API_ENABLED');
  return raw !== undefined && raw.toLowerCase() !== 'false';
}

/** Reads ADMIN_API_ENABLED and ADMIN_API_TOKEN; the token is required when enabled, and long in production. */
export function loadAdminApiOptions(env: Env, logger = new Logger('AdminApiConfig')): LiveKitRoomModuleOptions {
  if (readEnum(env, 'ADMIN_API_ENABLED', ['true', 'false'], 'false') === 'false') return {};
  const adminToken = readString(env, 'ADMIN_API_TOKEN');
  if (!adminToken) throw new ConfigValidationError('ADMIN_API_TOKEN', 'is required when ADMIN_API_ENABLED=true', TOKEN_FIX);
  if (/\s/.test(adminToken)) throw new ConfigValidationError('ADMIN_API_TOKEN', 'contains whitespace', TOKEN_FIX);
  if (adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    if (isProduction(env)) {
      throw new ConfigValidationError('ADMIN_API_TOKEN', `holds a token shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters`, TOKEN_FIX);
    }
    logger.warn(`ADMIN_API_TOKEN is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters: accepted outside production only`);
  }
  return { adminToken };
}

export const adminApiConfig = registerAs('adminApi', () => loadAdminApiOptions(process.env));
