/**
 * Paths pino replaces with `[Redacted]` in every log line: credentials in request and response headers,
 * and token or secret fields of any logged object (one level deep, as pino's wildcards go).
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...['authorization', 'token', 'participant_token', 'accessToken', 'apiSecret', 'secret', 'adminToken', 'password'].flatMap((key) => [
    key,
    `*.${key}`,
  ]),
];

export const REDACTION_CENSOR = '[Redacted]';

const SENSITIVE_NAME_PARTS = ['token', 'secret', 'password', 'key', 'signature'];

const QUESTION = 0x3f;
const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const HASH = 0x23;

/** The index of the next `?` or `&` (where a parameter name begins) at or after `from`, or `url.length`. */
function nextNameStart(url: string, from: number): number {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === QUESTION || c === AMPERSAND) return i;
  }
  return url.length;
}

/** The index of the next `&` or `#` (and `=` too with `orEquals`) at or after `from`, or `url.length`. */
function nextDelimiter(url: string, from: number, orEquals: boolean): number {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === AMPERSAND || c === HASH || (orEquals && c === EQUALS)) return i;
  }
  return url.length;
}

/** A parameter name as the app reads it (`%74oken` is `token`); the raw name when it is not valid percent-encoding. */
function decodedName(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * A request URL with the values of token-, secret-, password-, key- or signature-like query parameters redacted.
 * A name runs from a `?` or `&` to the next `=` (a `?` inside a name or value begins a name too, so a
 * mis-joined `?room=r?token=…` is caught); its value runs to the next `&` or `#`. One pass, each character
 * read a bounded number of times: the request log calls this on every URL a client sends, so it must stay
 * linear whatever the URL (a backtracking pattern took seconds on an 8 KB `?token?token…`).
 */
export function redactUrl(url: string): string {
  if (!url.includes('?')) return url;
  let redacted = '';
  let copied = 0;
  let start = nextNameStart(url, 0);
  while (start < url.length) {
    const nameEnd = nextDelimiter(url, start + 1, true);
    if (url.charCodeAt(nameEnd) !== EQUALS) {
      start = nextNameStart(url, nameEnd);
      continue;
    }
    const name = decodedName(url.slice(start + 1, nameEnd)).toLowerCase();
    if (SENSITIVE_NAME_PARTS.some((part) => name.includes(part))) {
      const valueEnd = nextDelimiter(url, nameEnd + 1, false);
      redacted += url.slice(copied, nameEnd + 1) + REDACTION_CENSOR;
      copied = valueEnd;
      start = nextNameStart(url, valueEnd);
    } else {
      start = nextNameStart(url, nameEnd + 1);
    }
  }
  return redacted + url.slice(copied);
}
