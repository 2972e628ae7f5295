import { ConfigValidationError } from './config.errors';
import { type Env, readString } from './env-readers';

const VARIABLE = 'CORS_ORIGINS';
const FORM = 'scheme://host[:port], as browsers send the Origin header';

/** CORS_ORIGINS: `*` (the default), or comma-separated origins, each checked by {@link checkedOrigin}. */
export function readCorsOrigins(env: Env): '*' | string[] {
  const raw = readString(env, VARIABLE) ?? '*';
  if (raw === '*') return '*';
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(checkedOrigin);
}

/**
 * An allowed origin exactly as a browser sends it in `Origin`: `http` or `https`, lower-case host, the port
 * only when not the scheme's default, no path, query or trailing slash. Anything else would never match a
 * request, silently; it stops the boot instead, naming the entry and the origin to write.
 */
export function checkedOrigin(entry: string): string {
  if (entry === '*') {
    throw new ConfigValidationError(VARIABLE, 'mixes "*" with origins', `set ${VARIABLE}=* alone, or list origins only`);
  }
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);
  const url = hasScheme ? parsed(entry) : undefined;
  if (!url) {
    const fix = hasScheme ? 'write scheme://host[:port], e.g. https://app.example.com' : `write https://${entry} or http://${entry}`;
    throw new ConfigValidationError(VARIABLE, `entry ${JSON.stringify(entry)} is not an origin (${FORM})`, fix);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigValidationError(
      VARIABLE,
      `entry ${JSON.stringify(entry)} is not an http or https origin`,
      'browsers only send http and https origins',
    );
  }
  if (url.origin !== entry) {
    throw new ConfigValidationError(VARIABLE, `entry ${JSON.stringify(entry)} is not an origin (${FORM})`, `write ${url.origin}`);
  }
  return entry;
}

function parsed(entry: string): URL | undefined {
  try {
    return new URL(entry);
  } catch {
    return undefined;
  }
}
