import { existsSync } from 'node:fs';
import type { Env } from './env-readers';

/**
 * The environment of a standalone entry point (the server, the dead-letters CLI): `process.env`, after a
 * `.env` file in the working directory, if any, has filled in what the environment does not set.
 */
export function loadProcessEnv(): Env {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
