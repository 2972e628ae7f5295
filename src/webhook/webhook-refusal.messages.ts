import { HttpException, HttpStatus } from '@nestjs/common';
import { loggableText } from '../common/loggable-text';
import {
  LiveKitRawBodyUnavailableException,
  LiveKitWebhookContentTypeException,
  LiveKitWebhookMalformedException,
  LiveKitWebhookUnauthorizedException,
  type WebhookRejectionReason,
} from './livekit-webhook.errors';

/** Why the guard refused a webhook: the 401 reasons, and those of its 413, 415, 400 and 500 answers. */
export type WebhookRefusalReason =
  | WebhookRejectionReason
  | 'body_too_large'
  | 'unsupported_content_type'
  | 'not_a_livekit_event'
  | 'unreadable_body'
  | 'raw_body_unavailable';

/** A refused webhook as the server log describes it. Nothing in it is a token, a signature or a secret. */
export interface WebhookRefusal {
  status: number;
  reason: WebhookRefusalReason;
  /** The API key the token named (its `iss`, unverified for a 401), already bounded and sanitised. */
  keyId?: string;
  /** A short, sanitised detail: the content type, the parser's verdict. */
  detail?: string;
}

const KEY_ID_MAX = 64;
const DETAIL_MAX = 160;

/** The key id as it may appear in a log line: a caller chose it, so it is bounded and sanitised. */
export function loggableKeyId(issuer: unknown): string | undefined {
  return typeof issuer === 'string' && issuer !== '' ? loggableText(issuer, KEY_ID_MAX) : undefined;
}

/** What the guard's exception says about the refusal, or undefined when it is not one (an unexpected error). */
export function describeWebhookRefusal(error: unknown, verifiedKeyId?: string): WebhookRefusal | undefined {
  if (!(error instanceof HttpException)) return undefined;
  const status = error.getStatus();
  const keyId = loggableKeyId(verifiedKeyId) ?? (error instanceof LiveKitWebhookUnauthorizedException ? error.keyId : undefined);
  const detail = (text: string) => loggableText(text, DETAIL_MAX);
  if (error instanceof LiveKitWebhookUnauthorizedException) return { status, reason: error.reason, keyId };
  if (error instanceof LiveKitWebhookContentTypeException) {
    return { status, reason: 'unsupported_content_type', keyId, detail: detail(error.contentType) };
  }
  if (error instanceof LiveKitWebhookMalformedException)
    return { status, reason: 'not_a_livekit_event', keyId, detail: detail(error.detail) };
  if (error instanceof LiveKitRawBodyUnavailableException) return { status, reason: 'raw_body_unavailable', keyId };
  if (status === Number(HttpStatus.PAYLOAD_TOO_LARGE)) return { status, reason: 'body_too_large', keyId, detail: detail(error.message) };
  if (status < 500) return { status, reason: 'unreadable_body', keyId, detail: detail(error.message) };
  return undefined;
}

const CLOCKS = 'check that the clocks of livekit-server and this server agree (NTP), or raise WEBHOOK_CLOCK_TOLERANCE_SECONDS';

/** What the line says was refused, and how to fix it. */
function explain({ status, reason, keyId, detail }: WebhookRefusal): { what: string; consequence: string; fix: string } {
  const lost = `LiveKit does not retry a ${status}, this event is lost`;
  const key = keyId === undefined ? 'no key named' : `key "${keyId}"`;
  switch (reason) {
    case 'missing_authorization':
      return {
        what: 'no Authorization header',
        consequence: lost,
        fix: 'livekit-server always sends one: check that no proxy strips it, or the caller is not livekit-server',
      };
    case 'malformed_token':
      return {
        what: 'Authorization is not a JWT',
        consequence: lost,
        fix: 'the caller is not livekit-server, or a proxy rewrote the Authorization header',
      };
    case 'unknown_key':
      return {
        what: keyId === undefined ? 'token names no key (iss)' : `unknown key "${keyId}"`,
        consequence: lost,
        fix: "add the key to LIVEKIT_KEYS (option `keys`) with the secret livekit-server's `keys` gives it",
      };
    case 'invalid_signature':
      return {
        what: `bad signature, ${key}`,
        consequence: lost,
        fix: "the secret configured here for this key is not livekit-server's: set the same one (LIVEKIT_API_SECRET or LIVEKIT_KEYS)",
      };
    case 'expired':
      return { what: `expired token, ${key}`, consequence: lost, fix: `${CLOCKS}; or it is a replay of an old webhook` };
    case 'invalid_claims':
      return { what: `token without exp, or not valid yet, ${key}`, consequence: lost, fix: CLOCKS };
    case 'hash_mismatch':
      return {
        what: `body does not match its signed sha256, ${key}`,
        consequence: lost,
        fix: 'something between livekit-server and this server changed the body bytes (a proxy, a JSON parser): pass them through unchanged',
      };
    case 'body_too_large':
      return {
        what: `${detail ?? 'body too large'}, ${key}`,
        consequence: lost,
        fix: 'raise WEBHOOK_BODY_LIMIT (option `webhookBodyLimit`)',
      };
    case 'unsupported_content_type':
      return {
        what: `content type "${detail ?? ''}", ${key}`,
        consequence: lost,
        fix: 'livekit-server sends application/webhook+json: check that no proxy rewrites Content-Type',
      };
    case 'not_a_livekit_event':
      return {
        what: `signed body is not a LiveKit event (${detail ?? ''}), ${key}`,
        consequence: lost,
        fix: 'whoever holds this key posts something else than livekit-server does',
      };
    case 'unreadable_body':
      return {
        what: `body could not be read (${detail ?? ''}), ${key}`,
        consequence: lost,
        fix: 'the sender aborted, or sent fewer bytes than its Content-Length',
      };
    case 'raw_body_unavailable':
      return {
        what: `raw body unavailable, ${key}`,
        consequence: 'LiveKit retries a 500, and every attempt fails the same way',
        fix: 'a body parser consumed the body without keeping its bytes: create the app with `rawBody: true`, or see the README on the raw body',
      };
  }
}

/**
 * The log line of a refused webhook: what was refused, that the event is lost (or why retries do not help),
 * how to fix it, and how many refusals the rate limit kept out of the log since the previous line.
 */
export function webhookRefusalMessage(refusal: WebhookRefusal, notLogged = 0): string {
  const { what, consequence, fix } = explain(refusal);
  const skipped = notLogged > 0 ? ` (${notLogged} more refused webhook(s) not logged since the previous line)` : '';
  return `webhook refused (${what}): ${consequence}; ${fix}${skipped}`;
}
