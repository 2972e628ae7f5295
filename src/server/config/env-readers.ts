import { parseLiveKitDurationSeconds } from '../../index';
import { ConfigValidationError } from './config.errors';

export type Env = Record<string, string | undefined>;

/** The trimmed value of a variable, or undefined when unset or blank. */
export function readString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function readPositiveInt(env: Env, name: string, fallback: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigValidationError(name, `must be a positive integer, got ${JSON.stringify(raw)}`, `set ${name}=<integer>`);
  }
  return value;
}

/** Like {@link readPositiveInt}, and 0 is accepted too (where 0 means no limit). */
export function readNonNegativeInt(env: Env, name: string, fallback: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new ConfigValidationError(
      name,
      `must be an integer of 0 or more, got ${JSON.stringify(raw)}`,
      `set ${name}=<integer>, 0 for no limit`,
    );
  }
  return value;
}

/** A duration in seconds or as `90s`, `15m`, `6h`, `1d`, returned in milliseconds. */
export function readDurationMs(env: Env, name: string, fallbackMs: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallbackMs;
  const seconds = parseLiveKitDurationSeconds(raw);
  if (seconds === undefined) {
    throw new ConfigValidationError(name, `must be a duration, got ${JSON.stringify(raw)}`, `set ${name} to seconds, or 90s, 15m, 6h, 1d`);
  }
  return seconds * 1000;
}

export function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = readString(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigValidationError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`, `set ${name}=${fallback}`);
  }
  return raw as T;
}

/** Parses livekit-server's `LIVEKIT_KEYS` format: `key1: secret1, key2: secret2` (commas or new lines, optional braces). */
export function readKeyPairs(env: Env, name: string): Record<string, string> {
  const raw = readString(env, name);
  const pairs: Record<string, string> = {};
  if (raw === undefined) return pairs;
  const body = raw.replace(/^\{([\s\S]*)\}$/, '$1');
  for (const entry of body.split(/[,\n]/)) {
    if (!entry.trim()) continue;
    const colon = entry.indexOf(':');
    const key = colon > 0 ? entry.slice(0, colon).trim() : '';
    const secret = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!key || !secret) {
      throw new ConfigValidationError(name, 'has an entry that is not `key: secret`', `write ${name}="key1: secret1, key2: secret2"`);
    }
    pairs[key] = secret;
  }
  return pairs;
}

export function isProduction(env: Env): boolean {
  return readString(env, 'NODE_ENV') === 'production';
}
