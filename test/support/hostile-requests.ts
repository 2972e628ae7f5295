import { SignJWT } from 'jose';
import { METHODS } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { RawExchange, RawPiece } from './raw-exchange';
import { sha256Base64, signWebhook } from './webhook-signer';

/*
 * Hostile requests as small descriptions, from which the bytes are built: fast-check shows the description
 * of a failing case, so a 2,000-level nesting or an 8 KB query string reads as one short line.
 */

/** A string given as is, or `prefix` followed by `unit` repeated `times` times. */
export type TextSpec = string | { prefix?: string; unit: string; times: number };

/** JSON text (possibly invalid on purpose). */
export type JsonSpec =
  /** A literal fragment. */
  | { raw: string }
  /** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels. */
  | { nested: '[' | '{'; depth: number }
  /** `[item,item,…]`. */
  | { array: number; item: string }
  /** A JSON string of `text` repeated `times` times. */
  | { text: string; times: number }
  /** An object with these entries, in order: duplicate keys and `__proto__` stay as written. */
  | { object: [string, JsonSpec][] };

export type BodySpec =
  /** JSON text, then spaces up to exactly `padTo` bytes when given (sizes around the limits). */
  | { json: JsonSpec; padTo?: number }
  /** Raw bytes, as a latin1 string (invalid UTF-8, NUL, BOMs…). */
  | { bytes: string }
  /** A LiveKit webhook event of this type with a fresh `id`, unknown fields `extra`, padded like `json`. */
  | { event: string; extra?: [string, JsonSpec][]; padTo?: number };

/** The webhook `Authorization` header. */
export type AuthSpec =
  | { kind: 'none' }
  /** Signed by the server's key over the exact body (`bearer`: with a `Bearer ` prefix). */
  | { kind: 'valid'; bearer?: boolean }
  /** The last validly signed webhook, sent again byte for byte (a LiveKit retry). */
  | { kind: 'replay' }
  | { kind: 'forged'; how: ForgeryKind }
  | { kind: 'garbage'; value: TextSpec };

export const FORGERIES = [
  'wrong-secret',
  'unknown-key',
  'expired',
  'not-yet-valid',
  'no-exp',
  'alg-none',
  'hash-of-other-body',
  'no-hash',
  'tampered-body',
] as const;
export type ForgeryKind = (typeof FORGERIES)[number];

export type FramingSpec =
  | { kind: 'length' }
  | { kind: 'chunked'; sizes: number[]; extension?: boolean; upperHex?: boolean; trailer?: boolean }
  /** Chunked encoding the parser must refuse. */
  | { kind: 'bad-chunks'; variant: 'bad-size' | 'huge-size' | 'no-last-chunk' | 'lf-only' | 'size-overflow' }
  /** No Content-Length nor Transfer-Encoding: the body bytes read as a second, pipelined request. */
  | { kind: 'none' }
  /** Content-Length `by` bytes shorter than the body: the rest reads as a pipelined request. */
  | { kind: 'short'; by: number }
  /** Content-Length `by` bytes longer than the body; we then end our side (an aborted upload). */
  | { kind: 'long'; by: number }
  /** Content-Length `value` (over the limit, or not a number), then at most 1 KB of the body, and we wait for the 413. */
  | { kind: 'declared'; value: string }
  /** Both Content-Length and Transfer-Encoding: chunked (request smuggling). */
  | { kind: 'both' }
  /** Transfer-Encoding `value` over a chunked body. */
  | { kind: 'transfer-encoding'; value: string };

export interface HostileCase {
  method: string;
  /** The request target: a path, or a path with a repeated query. */
  target: TextSpec;
  /** Default `HTTP/1.1`. */
  version?: string;
  /** Extra header lines in order (duplicates kept); a `Host: 127.0.0.1` comes first unless `omitHost`. */
  headers?: [string, TextSpec][];
  omitHost?: boolean;
  contentType?: TextSpec;
  contentEncoding?: 'gzip' | 'deflate' | 'br' | 'bogus' | 'gzip-bomb';
  auth?: AuthSpec;
  body?: BodySpec;
  framing?: FramingSpec;
  /** A slow sender: the request in `pieces` parts, `pauseMs` apart. */
  slow?: { pieces: number; pauseMs: number };
}

export interface BuildContext {
  apiKey: string;
  apiSecret: string;
  jsonBodyLimit: number;
  webhookBodyLimit: number;
  /** Fresh, distinct event ids. */
  nextEventId(prefix: string): string;
  /** The last validly signed webhook (for replays). */
  lastValid?: { body: Buffer; authorization: string };
}

/** What the answer may be, by the contract (README), beyond "never a 5xx, never a hang". */
export interface Expectation {
  /** The only statuses allowed, when the contract decides (a well-formed request on our own routes). */
  statuses?: number[];
  /** A close without an answer is fine (a protocol error, an aborted upload). */
  mayClose: boolean;
  /** The 503 of /health/ready: LiveKit Server is not running here, which is no client's doing. */
  unreadyAllowed: boolean;
  /** The id of a validly signed event sent for the first time: its handler must run exactly when it is answered 200. */
  verifiedEventId?: string;
  /** Ids of events in bodies that are not validly signed: no handler may ever see them. */
  unverifiedEventId?: string;
}

export interface BuiltRequest {
  exchange: Omit<RawExchange, 'timeoutMs'>;
  /** Whether the target reaches the webhook controller (routes match case-insensitively, trailing slash or not). */
  webhookRoute: boolean;
  expect: Expectation;
  /** One line for failure messages. */
  summary: string;
}

export const TOKEN_ROUTES = ['/token', '/livekit/token'];
export const WEBHOOK_ROUTES = ['/webhook', '/livekit/webhook'];
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const WEBHOOK_TYPE = 'application/webhook+json';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\u0080-\uffff]*$/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const FRAMING_HEADERS = ['content-length', 'transfer-encoding'];
const PROTOTYPE_KEY = /"(?:__proto__|constructor)"\s*:/;

export function text(spec: TextSpec): string {
  return typeof spec === 'string' ? spec : (spec.prefix ?? '') + spec.unit.repeat(spec.times);
}

export function jsonText(spec: JsonSpec): string {
  if ('raw' in spec) return spec.raw;
  if ('nested' in spec)
    return spec.nested === '['
      ? '['.repeat(spec.depth) + ']'.repeat(spec.depth)
      : '{"a":'.repeat(spec.depth) + '1' + '}'.repeat(spec.depth);
  if ('array' in spec) return `[${Array.from({ length: spec.array }, () => spec.item).join(',')}]`;
  if ('text' in spec) return JSON.stringify(spec.text.repeat(spec.times));
  return `{${spec.object.map(([key, value]) => `${JSON.stringify(key)}:${jsonText(value)}`).join(',')}}`;
}

function padded(json: string, padTo: number | undefined): Buffer {
  const bytes = Buffer.from(json);
  return padTo === undefined || padTo <= bytes.length ? bytes : Buffer.concat([bytes, Buffer.alloc(padTo - bytes.length, ' ')]);
}

let bomb: Buffer | undefined;

function encode(body: Buffer, encoding: HostileCase['contentEncoding']): Buffer {
  switch (encoding) {
    case 'gzip':
      return gzipSync(body);
    case 'deflate':
      return deflateSync(body);
    case 'br':
      return brotliCompressSync(body);
    case 'gzip-bomb':
      // 16 MB of JSON in about 16 KB: the inflated size, not the sent one, must meet the limit.
      bomb ??= gzipSync(Buffer.concat([Buffer.from('{"roomName":"'), Buffer.alloc(16 * 1024 * 1024, 'a'), Buffer.from('"}')]), {
        level: 9,
      });
      return bomb;
    default:
      return body;
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function forge(how: ForgeryKind, body: Buffer, ctx: BuildContext): Promise<{ authorization: string; body: Buffer }> {
  const now = Math.floor(Date.now() / 1000);
  const secret = new TextEncoder().encode(ctx.apiSecret);
  const claims = { sha256: sha256Base64(body), video: {} };
  switch (how) {
    case 'wrong-secret':
      return { body, authorization: (await signWebhook(ctx.apiKey, 'wrong-secret-0123456789abcdef0123456789abcd', body)).authorization };
    case 'unknown-key':
      return { body, authorization: (await signWebhook('unknown-key', ctx.apiSecret, body)).authorization };
    case 'expired':
      return {
        body,
        authorization: await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ctx.apiKey)
          .setExpirationTime(now - 3600)
          .sign(secret),
      };
    case 'not-yet-valid':
      return {
        body,
        authorization: await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ctx.apiKey)
          .setNotBefore(now + 3600)
          .setExpirationTime(now + 7200)
          .sign(secret),
      };
    case 'no-exp':
      return { body, authorization: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(ctx.apiKey).sign(secret) };
    case 'alg-none':
      return {
        body,
        authorization: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, iss: ctx.apiKey, exp: now + 300 })}.`,
      };
    case 'hash-of-other-body':
      return { body, authorization: (await signWebhook(ctx.apiKey, ctx.apiSecret, body, { hashOf: Buffer.from('{}') })).authorization };
    case 'no-hash':
      return {
        body,
        authorization: await new SignJWT({ video: {} })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ctx.apiKey)
          .setExpirationTime(now + 300)
          .sign(secret),
      };
    case 'tampered-body': {
      const { authorization } = await signWebhook(ctx.apiKey, ctx.apiSecret, body);
      if (body.length === 0) return { body: Buffer.from(' '), authorization };
      const tampered = Buffer.from(body);
      const at = Math.floor(tampered.length / 2);
      tampered[at] = (tampered[at] ?? 0) ^ 0x01;
      return { body: tampered, authorization };
    }
  }
}

function eventBody(spec: Extract<BodySpec, { event: string }>, id: string): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const room = `"room":{"sid":"RM_fuzz","name":"fuzz-room","emptyTimeout":300,"creationTime":"${now}"}`;
  const participant = /^(participant|track)/.test(spec.event) ? `,"participant":{"sid":"PA_fuzz","identity":"alice","state":"ACTIVE"}` : '';
  const extra = (spec.extra ?? []).map(([key, value]) => `,${JSON.stringify(key)}:${jsonText(value)}`).join('');
  return padded(`{"event":${JSON.stringify(spec.event)},${room}${participant},"id":"${id}","createdAt":"${now}"${extra}}`, spec.padTo);
}

function chunked(body: Buffer, framing: Extract<FramingSpec, { kind: 'chunked' }>): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const size = Math.min(Math.max(1, framing.sizes[i % framing.sizes.length] ?? body.length), body.length - at);
    const hex = framing.upperHex ? size.toString(16).toUpperCase() : size.toString(16);
    parts.push(Buffer.from(`${hex}${framing.extension ? ';fuzz=1' : ''}\r\n`), body.subarray(at, at + size), Buffer.from('\r\n'));
    at += size;
  }
  parts.push(Buffer.from(framing.trailer ? '0\r\nX-Fuzz-Trailer: 1\r\n\r\n' : '0\r\n\r\n'));
  return Buffer.concat(parts);
}

function badChunks(body: Buffer, variant: Extract<FramingSpec, { kind: 'bad-chunks' }>['variant']): Buffer {
  switch (variant) {
    case 'bad-size':
      return Buffer.concat([Buffer.from('zz\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
    case 'huge-size':
      return Buffer.concat([Buffer.from('7fffffff\r\n'), body]);
    case 'size-overflow':
      return Buffer.concat([Buffer.from('ffffffffffffffffff\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
    case 'no-last-chunk':
      return Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]);
    case 'lf-only':
      return Buffer.concat([Buffer.from(`${body.length.toString(16)}\n`), body, Buffer.from('\n0\n\n')]);
  }
}

function isJsonObject(body: Buffer): boolean {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function routeOf(target: string): string {
  return target.split(/[?#]/)[0] ?? target;
}

/** The bytes of a hostile case and what the contract lets the server answer. */
export async function buildHostileRequest(c: HostileCase, ctx: BuildContext): Promise<BuiltRequest> {
  const target = text(c.target);
  const route = routeOf(target);
  const contentType = c.contentType === undefined ? undefined : text(c.contentType);
  const framing = c.framing ?? { kind: 'length' };
  const normalized = route.replace(/\/+$/, '').toLowerCase();
  const expect: Expectation = {
    mayClose: false,
    unreadyAllowed: (c.method === 'GET' || c.method === 'HEAD') && normalized === '/health/ready',
  };

  let body: Buffer = Buffer.alloc(0);
  let authorization: string | undefined;
  let signedEvent = false;
  if (c.auth?.kind === 'replay' && ctx.lastValid) {
    ({ body, authorization } = ctx.lastValid);
  } else {
    const auth = c.auth?.kind === 'replay' ? { kind: 'valid' as const } : c.auth;
    if (c.body && 'event' in c.body) {
      const id = ctx.nextEventId(auth?.kind === 'valid' ? 'EV_fuzz' : 'EV_forged');
      if (auth?.kind === 'valid') expect.verifiedEventId = id;
      else expect.unverifiedEventId = id;
      body = eventBody(c.body, id);
      signedEvent = auth?.kind === 'valid';
    } else if (c.body && 'json' in c.body) {
      body = padded(jsonText(c.body.json), c.body.padTo);
    } else if (c.body) {
      body = Buffer.from(c.body.bytes, 'latin1');
    }
    if (auth?.kind === 'valid' && !signedEvent && isJsonObject(body)) {
      throw new Error('a valid signature over a JSON object that is no event: its handler would run untracked');
    }
    if (auth?.kind === 'valid') {
      const signed = await signWebhook(ctx.apiKey, ctx.apiSecret, body);
      authorization = auth.bearer ? `Bearer ${signed.authorization}` : signed.authorization;
      if (signedEvent) ctx.lastValid = { body, authorization };
    } else if (auth?.kind === 'forged') {
      ({ body, authorization } = await forge(auth.how, body, ctx));
    } else if (auth?.kind === 'garbage') {
      authorization = text(auth.value);
    }
  }
  body = encode(body, c.contentEncoding);

  const headers: [string, string][] = [];
  if (!c.omitHost) headers.push(['Host', '127.0.0.1']);
  if (contentType !== undefined) headers.push(['Content-Type', contentType]);
  if (c.contentEncoding) headers.push(['Content-Encoding', c.contentEncoding === 'gzip-bomb' ? 'gzip' : c.contentEncoding]);
  if (authorization !== undefined) headers.push(['Authorization', authorization]);
  for (const [name, value] of c.headers ?? []) headers.push([name, text(value)]);

  let payload: Buffer = body;
  let halfClose = false;
  let sendAtMost: number | undefined;
  switch (framing.kind) {
    case 'length':
      if (body.length > 0 || !['GET', 'HEAD'].includes(c.method)) headers.push(['Content-Length', String(body.length)]);
      break;
    case 'chunked':
      headers.push(['Transfer-Encoding', 'chunked']);
      payload = chunked(body, framing);
      break;
    case 'bad-chunks':
      headers.push(['Transfer-Encoding', 'chunked']);
      payload = badChunks(body, framing.variant);
      halfClose = true;
      break;
    case 'none':
      break;
    case 'short':
      headers.push(['Content-Length', String(Math.max(0, body.length - framing.by))]);
      break;
    case 'long':
      headers.push(['Content-Length', String(body.length + framing.by)]);
      halfClose = true;
      break;
    case 'declared': {
      headers.push(['Content-Length', framing.value]);
      sendAtMost = 1024;
      // A length within the limit is an upload the server may wait for: then an aborted one, not an oversized one.
      const limit = contentType === WEBHOOK_TYPE ? ctx.webhookBodyLimit : ctx.jsonBodyLimit;
      halfClose = /^\d+$/.test(framing.value) && Number(framing.value) <= limit;
      break;
    }
    case 'both':
      headers.push(['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked']);
      payload = chunked(body, { kind: 'chunked', sizes: [body.length] });
      break;
    case 'transfer-encoding':
      headers.push(['Transfer-Encoding', framing.value]);
      payload = chunked(body, { kind: 'chunked', sizes: [64] });
      break;
  }
  if (sendAtMost !== undefined) payload = payload.subarray(0, sendAtMost);

  const version = c.version ?? 'HTTP/1.1';
  const head = Buffer.from(`${c.method} ${target} ${version}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
  const names = headers.map(([name]) => name.toLowerCase());
  const malformed =
    !METHODS.includes(c.method) ||
    c.method === 'CONNECT' ||
    !['HTTP/1.1', 'HTTP/1.0'].includes(version) ||
    !VISIBLE_ASCII.test(target) ||
    headers.some(([name, value]) => !HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) ||
    names.includes('upgrade') ||
    FRAMING_HEADERS.some((name) => names.filter((n) => n === name).length > 1);
  const honest = framing.kind === 'length' || framing.kind === 'chunked';
  expect.mayClose = malformed || !honest;

  // What the contract decides, for well-formed requests that carry nothing else that could change the answer.
  const plain = !malformed && honest && (c.headers ?? []).length === 0 && !c.omitHost && c.method === 'POST';
  const size = body.length;
  if (plain && WEBHOOK_ROUTES.includes(route)) {
    const accepted = contentType !== undefined && [WEBHOOK_TYPE, ...JSON_TYPES].includes(contentType);
    const limit = contentType === WEBHOOK_TYPE ? ctx.webhookBodyLimit : ctx.jsonBodyLimit;
    if (c.auth?.kind === 'replay' || (c.auth?.kind === 'valid' && signedEvent)) {
      // Fastify's JSON parser refuses prototype keys (400) before anything is verified; protojson ignores them.
      const refusable = contentType !== WEBHOOK_TYPE && PROTOTYPE_KEY.test(body.toString()) ? [400] : [];
      if (accepted && c.contentEncoding === undefined) expect.statuses = size > limit ? [413] : [200, ...refusable];
    } else if (c.auth?.kind === 'valid') {
      expect.statuses = [400, 413, 415];
    } else {
      expect.statuses = [400, 401, 413, 415];
    }
  } else if (plain && TOKEN_ROUTES.includes(route) && contentType !== undefined && JSON_TYPES.includes(contentType) && !c.contentEncoding) {
    if (size > ctx.jsonBodyLimit) expect.statuses = [413];
  }

  // Slow senders send valid requests: only their pace is hostile.
  if (c.slow) expect.statuses = [200];

  const whole = Buffer.concat([head, payload]);
  const pieces: RawPiece[] = c.slow ? split(whole, c.slow.pieces, c.slow.pauseMs) : [{ bytes: whole }];
  const shown = target.length > 80 ? `${target.slice(0, 60)}…(${target.length} chars)` : target;
  return {
    exchange: { pieces, halfClose, head: c.method === 'HEAD' },
    webhookRoute: WEBHOOK_ROUTES.includes(normalized),
    expect,
    summary: `${JSON.stringify(c.method).slice(1, -1)} ${JSON.stringify(shown).slice(1, -1)} (head ${head.length} B, body ${size} B, ${framing.kind}${c.auth ? `, auth ${c.auth.kind}` : ''})`,
  };
}

function split(bytes: Buffer, pieces: number, pauseMs: number): RawPiece[] {
  const size = Math.ceil(bytes.length / pieces);
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => ({
    bytes: bytes.subarray(i * size, (i + 1) * size),
    pauseMs: i === 0 ? 0 : pauseMs,
  }));
}
