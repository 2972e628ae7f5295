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

const SENSITIVE_QUERY_PARAMETER = /([?&][^=&#]*(?:token|secret|password|key|signature)[^=&#]*=)[^&#]*/gi;

/** A request URL with the values of token-, secret-, password-, key- or signature-like query parameters redacted. */
export function redactUrl(url: string): string {
  return url.includes('?') ? url.replace(SENSITIVE_QUERY_PARAMETER, `$1${REDACTION_CENSOR}`) : url;
}
