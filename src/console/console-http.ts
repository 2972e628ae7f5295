import type { IncomingHttpHeaders } from 'node:http';

/** The part of an Express or Fastify request the console reads. */
export interface ConsoleRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** `http` or `https`, as the adapter sees it (Express and Fastify honour their trust proxy setting). */
  protocol?: string;
  url?: string;
  /** Express's full path (its `url` is relative to a mount point). */
  originalUrl?: string;
}

/** A URL path that can go into a cookie attribute or an HTML attribute as it is. */
export const SAFE_PATH = /^\/[\w./~%-]{0,512}$/;

/**
 * The console's own base path as the browser sees it, from the path of a request to `/<base>/api/<route>`:
 * what the session cookie is scoped to, whatever global prefix the host adds.
 */
export function consoleBasePath(req: ConsoleRequest, route: string): string {
  const full = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
  const suffix = `/api/${route}`;
  const base = full.endsWith(suffix) ? full.slice(0, -suffix.length) || '/' : '/';
  return SAFE_PATH.test(base) ? base : '/';
}

/** The value of one cookie of the request, or undefined. Linear: one split per `;`. */
export function readCookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie;
  if (typeof header !== 'string' || header.length > 16_384) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function isHttps(req: ConsoleRequest): boolean {
  return req.protocol === 'https';
}

/** The request's own origin, `scheme://host[:port]` from its Host header, lower-cased; undefined without a Host. */
export function ownOrigin(req: ConsoleRequest): string | undefined {
  const host = req.headers.host;
  if (typeof host !== 'string' || host === '' || host.length > 255) return undefined;
  return `${isHttps(req) ? 'https' : 'http'}://${host}`.toLowerCase();
}

/**
 * Whether the browser says the request comes from a page of another origin: `Origin` set and neither ours nor
 * allowed, or `Sec-Fetch-Site: cross-site`. A request without either header (curl, a server) is not cross-site:
 * it is left to the CSRF token and the SameSite cookie.
 */
export function isCrossOrigin(req: ConsoleRequest, allowed: ReadonlySet<string>): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const normalised = origin.toLowerCase();
  return normalised !== ownOrigin(req) && !allowed.has(normalised);
}

export interface CookieAttributes {
  path: string;
  maxAgeSeconds: number;
  secure: boolean;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Strict, scoped to the console's path, Secure when asked. */
export function sessionCookie(name: string, value: string, { path, maxAgeSeconds, secure }: CookieAttributes): string {
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
