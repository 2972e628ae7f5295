import fc, { type Arbitrary } from 'fast-check';
import { STANDARD_TOKEN_FIELDS } from '../../src/token/livekit-token.constants';
import {
  type AuthSpec,
  type BodySpec,
  FORGERIES,
  type FramingSpec,
  type HostileCase,
  jsonText,
  type JsonSpec,
  type TextSpec,
  TOKEN_ROUTES,
  WEBHOOK_ROUTES,
} from './hostile-requests';

export interface BodyLimits {
  jsonBodyLimit: number;
  webhookBodyLimit: number;
}

/** Largest request head we send: a little over Node's 16 KiB header limit, so that 431 is exercised too. */
const MAX_HEAD = 17 * 1024;
/** Longest query string: the 8 KB `?token?token…` URL of the redaction issue. */
const MAX_QUERY = 8 * 1024;

const ROUTES = [...TOKEN_ROUTES, ...WEBHOOK_ROUTES, '/health/live', '/health/ready', '/metrics', '/docs-json', '/docs', '/docs/'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'];
const GARBAGE_METHODS = [
  'get',
  'FOO',
  'CONNECT',
  'TRACE',
  'PROPFIND',
  'M-SEARCH',
  'PRI',
  'G\tET',
  'GET\u0000',
  'POST\u007f',
  ' ',
  'GET GET',
  'ÉT',
];
const EVENTS = [
  'room_started',
  'room_finished',
  'participant_joined',
  'participant_left',
  'track_published',
  'egress_ended',
  'fuzz_unknown_event',
];
const PERCENT = ['%2e', '%2E%2E', '%2f', '%00', '%', '%zz', '%C0%AF', '%ED%A0%80', '%FF', '%E2%80%AE', '%25', '%3F', '%23', '%0d%0a'];
/** Substrings the URL redaction pattern reacts to (`?`, `&`, `=`, `#`, the sensitive words), for repetition. */
const QUERY_UNITS = [
  'token?',
  '?token',
  'token',
  '&token=',
  '?keykey',
  'key&',
  'secret?',
  'password=',
  'signature&',
  '=&',
  '?&=',
  'a',
  '%3Ftoken',
  '&access_token=x',
];
const HEADER_NAMES = [
  'X-Request-Id',
  'Authorization',
  'Content-Type',
  'Accept',
  'Accept-Encoding',
  'Origin',
  'Cookie',
  'Expect',
  'Connection',
  'Upgrade',
  'Range',
  'X-Forwarded-For',
  'Forwarded',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'Content-Encoding',
  'Proxy-Authorization',
  'If-None-Match',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset="utf-8"',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json ; charset=utf-8',
  'application/webhook+json',
  'application/webhook+json; charset=utf-8',
  'Application/Webhook+JSON',
  'application/vnd.api+json',
  'text/plain',
  'text/json',
  'multipart/form-data; boundary=fuzz',
  'application/x-www-form-urlencoded',
  '',
  'application/json, text/plain',
  '*/*',
  'application/',
  ';',
];
/** Content types with long or repetitive parameters, for the content-type parsers (ours and the body parsers'). */
const LONG_CONTENT_TYPES: TextSpec[] = [
  { prefix: 'application/json; a=', unit: 'b', times: 8000 },
  { prefix: 'application/json', unit: '; a=b', times: 1500 },
  { prefix: 'application/json; charset=', unit: ' ', times: 8000 },
  { prefix: 'application/json; x="', unit: '\\"', times: 4000 },
  { prefix: 'application/', unit: 'x', times: 8000 },
  { prefix: 'application/webhook+json', unit: ';', times: 8000 },
];

const shortString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\udfff', 'a\u0000b', '\u202e', '🎉', '../', '<script>', '${x}', '%s', 'é'.normalize('NFD')),
);

const scalar: Arbitrary<JsonSpec> = fc.oneof(
  shortString.map((s) => ({ raw: JSON.stringify(s) })),
  fc
    .constantFrom(
      '0',
      '-0',
      '1e309',
      '-1e309',
      '1e-400',
      '123456789012345678901234567890',
      '0.1',
      'true',
      'false',
      'null',
      '[]',
      '{}',
      '""',
    )
    .map((raw) => ({ raw })),
  fc.double().map((d) => ({ raw: JSON.stringify(d) })),
);

const protoObject: Arbitrary<JsonSpec> = fc
  .constantFrom(
    '{"__proto__":{"isAdmin":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"prototype":null}',
    '{"__proto__":null}',
    '{"__proto__":[]}',
    '{"toString":"x","valueOf":1,"hasOwnProperty":2}',
  )
  .map((raw) => ({ raw }));

/** A size up to `max`: anywhere, or at the round figures where recursion and buffers tend to give way. */
function upTo(max: number): Arbitrary<number> {
  const marks = [1000, 1500, 2000, 3000, 6000, 10_000].filter((mark) => mark < max);
  return fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(...marks, max));
}

/** Values up to about `limit` bytes: deep nesting, huge arrays, long strings. */
function bigValue(limit: number): Arbitrary<JsonSpec> {
  return fc.oneof(
    upTo(Math.floor(limit / 2) - 40).map((depth): JsonSpec => ({ nested: '[', depth })),
    upTo(Math.floor(limit / 6) - 10).map((depth): JsonSpec => ({ nested: '{', depth })),
    fc.record({ array: upTo(Math.floor(limit / 2) - 40), item: fc.constantFrom('0', '[]', '{}', 'null', '"x"') }),
    fc.record({ text: fc.constantFrom('a', '\u0000', '\\', '"', 'é', '🎉', '\ud800'), times: upTo(limit) }),
  );
}

const tokenKeys = fc.oneof(
  fc.constantFrom(
    'roomName',
    'participantName',
    ...STANDARD_TOKEN_FIELDS,
    '__proto__',
    'constructor',
    'prototype',
    '0',
    '1',
    '-1',
    '1e3',
    '',
    'ROOMNAME',
    'toString',
    'hasOwnProperty',
  ),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

const INVALID_JSON = [
  '',
  ' ',
  '{',
  '{"roomName":',
  '{"a":1,}',
  "{'a':1}",
  'NaN',
  '{"a":NaN}',
  '\ufeff{"roomName":"r","participantName":"p"}',
  '{"a":1}{"b":2}',
  '/*c*/{}',
  '{"roomName":"a\u0000b","participantName":"p"}',
  '{"a":"\\x41"}',
  '[1,2',
  'undefined',
  'null',
  '"str"',
  '1',
  'true',
];
/** latin1 strings: invalid UTF-8 and an encoded lone surrogate inside otherwise valid JSON objects. */
const INVALID_UTF8_OBJECTS = ['{"roomName":"\xff\xfe","participantName":"\xc0\x80"}', '{"roomName":"\xed\xa0\x80","participantName":"p"}'];
/** latin1 strings that are not JSON: NULs, BOMs, UTF-16. */
const INVALID_BYTES = [
  '\x00\x00\x00{',
  '\xef\xbb\xbf{"roomName":"r","participantName":"p"}',
  '\xff\xfe{\x00"\x00a\x00"\x00:\x001\x00}\x00',
  '{"roomName":"r","participantName":"p"}\x00',
];
const notJson: Arbitrary<BodySpec> = fc.oneof(
  fc.constantFrom(...INVALID_JSON).map((raw): BodySpec => ({ json: { raw } })),
  fc.constantFrom(...INVALID_BYTES).map((bytes): BodySpec => ({ bytes })),
);
const invalidBody: Arbitrary<BodySpec> = fc.oneof(
  notJson,
  fc.constantFrom(...INVALID_UTF8_OBJECTS).map((bytes): BodySpec => ({ bytes })),
);

function around(limit: number): Arbitrary<number> {
  return fc.constantFrom(limit - 1, limit, limit + 1, 2 * limit);
}

const BASE_FIELDS: [string, JsonSpec][] = [
  ['roomName', { raw: '"r"' }],
  ['participantName', { raw: '"p"' }],
];

/** Objects with both contracts' fields next to deep, huge or long values, in known and unknown fields. */
function bigTokenBody(limits: BodyLimits): Arbitrary<BodySpec> {
  const entries = fc.array(fc.tuple(tokenKeys, bigValue(limits.jsonBodyLimit)), { minLength: 1, maxLength: 2 });
  return fc
    .tuple(fc.boolean(), entries)
    .map(([withBase, rest]): BodySpec => ({ json: { object: withBase ? [...BASE_FIELDS, ...rest] : rest } }));
}

/** Everything else: prototype keys, odd scalars, duplicate keys, top-level non-objects, invalid JSON and UTF-8, sizes around the limit. */
function oddTokenBody(limits: BodyLimits): Arbitrary<BodySpec> {
  const small = fc.oneof(
    scalar,
    protoObject,
    fc.jsonValue({ maxDepth: 3 }).map((v): JsonSpec => ({ raw: JSON.stringify(v) })),
  );
  const entries = fc.array(fc.tuple(tokenKeys, small), { maxLength: 6 });
  const object = fc
    .tuple(fc.boolean(), entries)
    .map(([withBase, rest]): JsonSpec => ({ object: withBase ? [...BASE_FIELDS, ...rest] : rest }));
  return fc.oneof(
    { weight: 4, arbitrary: object.map((json): BodySpec => ({ json })) },
    { weight: 2, arbitrary: small.map((json): BodySpec => ({ json })) },
    { weight: 2, arbitrary: invalidBody },
    { weight: 2, arbitrary: fc.record({ json: object, padTo: around(limits.jsonBodyLimit) }) },
  );
}

const TOKEN_BODY: BodySpec = { json: { raw: '{"roomName":"r","participantName":"p"}' } };

/** Events as LiveKit sends them, with unknown fields (protojson ignores them) and sizes around both limits. */
function eventBody(limits: BodyLimits): Arbitrary<BodySpec> {
  const extra = fc.array(
    fc.tuple(fc.constantFrom('fuzz', 'extra', '__proto__', 'constructor', 'prototype', 'toString', '0', ''), fc.oneof(scalar, protoObject)),
    { maxLength: 3 },
  );
  const padTo = fc.option(fc.oneof(around(limits.jsonBodyLimit), around(limits.webhookBodyLimit)), { nil: undefined });
  return fc.record({ event: fc.constantFrom(...EVENTS), extra, padTo }, { requiredKeys: ['event'] });
}

/** Bodies that are no event: not JSON, not an object (a verified one is answered 400). */
function junkBody(limits: BodyLimits): Arbitrary<BodySpec> {
  // A verified JSON object would be a (typeless) event: its handler may run, so none here.
  const notObject = fc.oneof(scalar, bigValue(limits.webhookBodyLimit)).filter((json) => !jsonText(json).startsWith('{'));
  return fc.oneof(
    notJson,
    notObject.map((json): BodySpec => ({ json })),
    fc.record({ json: fc.constant<JsonSpec>({ raw: '[]' }), padTo: around(limits.webhookBodyLimit) }),
  );
}

const garbageAuth: Arbitrary<TextSpec> = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Bearer  ',
    'bearer x',
    'Basic dXNlcjpwYXNz',
    'a.b.c',
    'eyJ.eyJ.sig',
    '....',
    'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x',
    'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOjF9.',
  ),
  fc.constantFrom<TextSpec>(
    { unit: 'eyJ', times: 4000 },
    { prefix: 'Bearer', unit: ' ', times: 8000 },
    { prefix: 'eyJhbGciOiJIUzI1NiJ9.', unit: 'a', times: 12000 },
    { unit: '.', times: 8000 },
  ),
);

const auth: Arbitrary<AuthSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('valid' as const), bearer: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant<AuthSpec>({ kind: 'replay' }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('forged' as const), how: fc.constantFrom(...FORGERIES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('garbage' as const), value: garbageAuth }) },
  { weight: 1, arbitrary: fc.constant<AuthSpec>({ kind: 'none' }) },
);

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...METHODS) },
  { weight: 1, arbitrary: fc.constantFrom(...GARBAGE_METHODS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 10 }) },
);

const segment = fc.oneof(
  fc.webSegment(),
  fc.constantFrom('..', '.', '', 'token', 'TOKEN', 'livekit', 'webhook', ...PERCENT),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => encodeURIComponent(s)),
);

const target: Arbitrary<TextSpec> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...ROUTES),
      fc.constantFrom('', '', '/', '//', '/.', '/..', ';x', '#frag', '%2F', '.json', '/%2e%2e/token', '?', '?a=1&a=2'),
    )
    .map(([route, suffix]) => route + suffix),
  fc.array(segment, { maxLength: 6 }).map((segments) => `/${segments.join('/')}`),
  fc.tuple(fc.constantFrom(...ROUTES), fc.webQueryParameters()).map(([route, query]) => `${route}?${query}`),
  fc.constantFrom('*', 'http://127.0.0.1/token', 'http://other.example/health/live', '', '/token?\u0000', '/\u00e9', '/health/live\t'),
);

/** Query strings of the substrings the redaction pattern reacts to, repeated up to {@link MAX_QUERY}. */
const repeatedQuery: Arbitrary<TextSpec> = fc
  .tuple(fc.constantFrom(...ROUTES, '/nowhere'), fc.constantFrom(...QUERY_UNITS))
  .chain(([route, unit]) => upTo(Math.floor(MAX_QUERY / unit.length)).map((times): TextSpec => ({ prefix: `${route}?`, unit, times })));

/** Header values a parser accepts (printable ASCII, obs-text), hostile in what they say or in their size. */
const headerValue: Arbitrary<TextSpec> = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '100-continue',
    'upgrade',
    'websocket',
    'gzip',
    'close',
    'keep-alive',
    'bytes=0-0,1-1,2-2',
    'null',
    'http://evil.example',
    'a'.repeat(200),
    'a'.repeat(201),
    'id with space',
    '{"level":60}',
  ),
  fc.constantFrom(...CONTENT_TYPES),
  garbageAuth,
  upTo(MAX_HEAD).map((times): TextSpec => ({ unit: 'a', times })),
);

/** Values no parser should accept: control characters, CR/LF (header injection), NUL. */
const malformedHeaderValue: Arbitrary<TextSpec> = fc.oneof(
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }),
  fc.constantFrom('a\r\nX-Injected: 1', 'a\nb', 'a\u0000b', '\r\n\r\nGET / HTTP/1.1', 'a\rb'),
);

const headerName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HEADER_NAMES) },
  { weight: 1, arbitrary: fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,30}$/) },
);

const malformedHeaderName = fc.constantFrom('Bad Name', 'X:Y', 'Ü', '', 'X\u0000', ' Leading', 'X\r\nY', '(X)');

const framing = (limits: BodyLimits): Arbitrary<FramingSpec> =>
  fc.oneof(
    fc.constant<FramingSpec>({ kind: 'length' }),
    fc.record(
      {
        kind: fc.constant('chunked' as const),
        sizes: fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 4 }),
        extension: fc.boolean(),
        upperHex: fc.boolean(),
        trailer: fc.boolean(),
      },
      { requiredKeys: ['kind', 'sizes'] },
    ),
    fc.record({
      kind: fc.constant('bad-chunks' as const),
      variant: fc.constantFrom('bad-size', 'huge-size', 'no-last-chunk', 'lf-only', 'size-overflow'),
    }),
    fc.constant<FramingSpec>({ kind: 'none' }),
    fc.record({ kind: fc.constant('short' as const), by: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('long' as const), by: fc.integer({ min: 1, max: 100_000 }) }),
    fc.record({
      kind: fc.constant('declared' as const),
      value: fc.constantFrom(
        '1000000000',
        '9007199254740993',
        '99999999999999999999999',
        String(limits.jsonBodyLimit + 1),
        String(limits.webhookBodyLimit + 1),
        '-1',
        '1e9',
        '0x10',
        '10, 11',
        ' 10',
        'abc',
      ),
    }),
    fc.constant<FramingSpec>({ kind: 'both' }),
    fc.record({
      kind: fc.constant('transfer-encoding' as const),
      value: fc.constantFrom('gzip, chunked', 'chunked, gzip', 'identity', 'Chunked', 'chunked\t', 'xchunked', 'chunked, chunked'),
    }),
  );

/**
 * The families of hostile requests, one property each, so that one bug does not hide another: a property
 * stops at its first counterexample. Content types and missing bodies are the headers' family's; the body
 * and framing families send what their routes expect there.
 */
export function hostileCases(limits: BodyLimits): Record<string, Arbitrary<HostileCase>> {
  const tokenContentType = fc.constantFrom('application/json', 'application/json; charset=utf-8');
  return {
    'request line: methods, paths, versions': fc.record(
      {
        method,
        target,
        version: fc.oneof(
          { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
          { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', 'HTTP/1.1 x', 'HTTP/1.12', '') },
        ),
      },
      { requiredKeys: ['method', 'target'] },
    ),

    'query strings: long and repetitive (the request log redacts them)': fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'OPTIONS'),
      target: repeatedQuery,
    }),

    'headers: well-formed, hostile in what they say or in their size': fc
      .record(
        {
          method: fc.oneof(
            { weight: 3, arbitrary: fc.constant('POST') },
            { weight: 2, arbitrary: fc.constantFrom('GET', 'OPTIONS', 'HEAD') },
          ),
          target: fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...TOKEN_ROUTES, ...WEBHOOK_ROUTES) },
            { weight: 1, arbitrary: fc.constantFrom(...ROUTES) },
          ),
          headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
          contentType: fc.option(fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(...LONG_CONTENT_TYPES)), { nil: undefined }),
          signed: fc.option(fc.tuple(auth, eventBody(limits)), { nil: undefined }),
          body: fc.option(fc.constant(TOKEN_BODY), { nil: undefined }),
        },
        { requiredKeys: ['method', 'target', 'headers'] },
      )
      // Signatures go with events only: a verified object that is no event would run the handler untracked.
      .map(({ signed, ...rest }): HostileCase => (signed ? { ...rest, auth: signed[0], body: signed[1] } : rest)),

    'headers: malformed, duplicate, conflicting framing, oversized, no Host': fc.record(
      {
        method: fc.constantFrom('GET', 'POST', 'OPTIONS'),
        target: fc.constantFrom(...ROUTES),
        headers: fc.array(
          fc.oneof(
            fc.tuple(headerName, headerValue),
            fc.tuple(
              fc.constantFrom('Host', 'Content-Length', 'Transfer-Encoding', 'Content-Type', 'Authorization'),
              fc.oneof(headerValue, fc.constantFrom('0', '5', 'chunked')),
            ),
            fc.tuple(malformedHeaderName, headerValue),
            fc.tuple(headerName, malformedHeaderValue),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        omitHost: fc.boolean(),
        body: fc.constant(TOKEN_BODY),
      },
      { requiredKeys: ['method', 'target', 'headers', 'omitHost'] },
    ),

    'token bodies: deep nesting, huge arrays, long strings': fc.record({
      method: fc.constant('POST'),
      target: fc.constantFrom(...TOKEN_ROUTES),
      contentType: tokenContentType,
      body: bigTokenBody(limits),
    }),

    'token bodies: prototype keys, odd values, invalid JSON and UTF-8, encodings, sizes': fc.record(
      {
        method: fc.oneof(
          { weight: 6, arbitrary: fc.constant('POST') },
          { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE') },
        ),
        target: fc.constantFrom(...TOKEN_ROUTES, '/token/'),
        contentType: tokenContentType,
        contentEncoding: fc.option(
          fc.constantFrom('gzip' as const, 'deflate' as const, 'br' as const, 'bogus' as const, 'gzip-bomb' as const),
          {
            nil: undefined,
            freq: 6,
          },
        ),
        body: oddTokenBody(limits),
      },
      { requiredKeys: ['method', 'target', 'contentType', 'body'] },
    ),

    'webhooks: valid, replayed, forged, garbage tokens over events and junk': fc.record({
      method: fc.constant('POST'),
      target: fc.constantFrom(...WEBHOOK_ROUTES),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('application/webhook+json', 'application/json') },
        { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
      auth,
      body: fc.oneof({ weight: 3, arbitrary: eventBody(limits) }, { weight: 1, arbitrary: junkBody(limits) }),
      framing: fc.oneof(
        { weight: 3, arbitrary: fc.constant<FramingSpec>({ kind: 'length' }) },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('chunked' as const),
            sizes: fc.array(fc.integer({ min: 1, max: 8192 }), { minLength: 1, maxLength: 3 }),
          }),
        },
      ),
    }),

    'framing: chunked, lying or huge Content-Length, smuggling, sizes around the limits': fc
      .tuple(
        fc.constantFrom('/token', ...WEBHOOK_ROUTES, '/health/live'),
        framing(limits),
        fc.option(fc.oneof(around(limits.jsonBodyLimit), around(limits.webhookBodyLimit)), { nil: undefined }),
      )
      .map(([route, framingSpec, padTo]): HostileCase => {
        const pad = padTo === undefined ? {} : { padTo };
        return WEBHOOK_ROUTES.includes(route)
          ? {
              method: 'POST',
              target: route,
              contentType: 'application/webhook+json',
              framing: framingSpec,
              auth: { kind: 'valid' },
              body: { event: 'room_started', ...pad },
            }
          : { method: 'POST', target: route, contentType: 'application/json', framing: framingSpec, body: { ...TOKEN_BODY, ...pad } };
      }),
  };
}

/** Slow senders (a few, bounded): a valid request dribbled out in pieces must still be answered normally. */
export function slowCases(): Arbitrary<HostileCase> {
  return fc
    .tuple(fc.constantFrom('token', 'webhook', 'token-continue'), fc.integer({ min: 4, max: 12 }), fc.integer({ min: 10, max: 40 }))
    .map(([kind, pieces, pauseMs]): HostileCase => {
      const slow = { pieces, pauseMs };
      if (kind === 'webhook') {
        return {
          method: 'POST',
          target: '/webhook',
          contentType: 'application/webhook+json',
          auth: { kind: 'valid' },
          body: { event: 'room_started' },
          framing: { kind: 'chunked', sizes: [7] },
          slow,
        };
      }
      const headers: [string, TextSpec][] = kind === 'token-continue' ? [['Expect', '100-continue']] : [];
      return { method: 'POST', target: '/token', contentType: 'application/json', headers, body: TOKEN_BODY, slow };
    });
}
