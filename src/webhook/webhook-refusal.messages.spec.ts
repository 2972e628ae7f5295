import { HttpException, HttpStatus } from '@nestjs/common';
import {
  LiveKitRawBodyUnavailableException,
  LiveKitWebhookContentTypeException,
  LiveKitWebhookHandlerFailedException,
  LiveKitWebhookMalformedException,
  LiveKitWebhookUnauthorizedException,
  type WebhookRejectionReason,
} from './livekit-webhook.errors';
import { describeWebhookRefusal, loggableKeyId, webhookRefusalMessage } from './webhook-refusal.messages';

describe('webhookRefusalMessage', () => {
  it('names the unknown key, says the event is lost, and how to fix it', () => {
    expect(webhookRefusalMessage({ status: 401, reason: 'unknown_key', keyId: 'prod-key-2' })).toBe(
      'webhook refused (unknown key "prod-key-2"): LiveKit does not retry a 401, this event is lost; ' +
        "add the key to LIVEKIT_KEYS (option `keys`) with the secret livekit-server's `keys` gives it",
    );
    expect(webhookRefusalMessage({ status: 401, reason: 'unknown_key' })).toMatch(/^webhook refused \(token names no key \(iss\)\)/);
  });

  it.each<[WebhookRejectionReason, RegExp]>([
    ['missing_authorization', /no Authorization header.*proxy strips it/],
    ['malformed_token', /not a JWT.*rewrote the Authorization header/],
    ['invalid_signature', /bad signature, key "k".*LIVEKIT_API_SECRET or LIVEKIT_KEYS/],
    ['expired', /expired token, key "k".*NTP.*WEBHOOK_CLOCK_TOLERANCE_SECONDS.*replay/],
    ['invalid_claims', /token without exp, or not valid yet, key "k".*NTP/],
    ['hash_mismatch', /does not match its signed sha256, key "k".*changed the body bytes/],
  ])('gives %s its own hint', (reason, expected) => {
    const message = webhookRefusalMessage({ status: 401, reason, keyId: 'k' });
    expect(message).toMatch(expected);
    expect(message).toContain('LiveKit does not retry a 401, this event is lost');
  });

  it('explains 413, 415, 400 and 500 refusals', () => {
    expect(webhookRefusalMessage({ status: 413, reason: 'body_too_large', keyId: 'k', detail: 'webhook body larger than 10 bytes' })).toBe(
      'webhook refused (webhook body larger than 10 bytes, key "k"): LiveKit does not retry a 413, this event is lost; ' +
        'raise WEBHOOK_BODY_LIMIT (option `webhookBodyLimit`)',
    );
    expect(webhookRefusalMessage({ status: 415, reason: 'unsupported_content_type', keyId: 'k', detail: 'text/plain' })).toMatch(
      /^webhook refused \(content type "text\/plain", key "k"\): LiveKit does not retry a 415.*rewrites Content-Type/,
    );
    expect(webhookRefusalMessage({ status: 400, reason: 'not_a_livekit_event', keyId: 'k', detail: 'not JSON' })).toMatch(
      /^webhook refused \(signed body is not a LiveKit event \(not JSON\), key "k"\)/,
    );
    expect(webhookRefusalMessage({ status: 400, reason: 'unreadable_body', keyId: 'k', detail: 'request aborted' })).toMatch(
      /body could not be read \(request aborted\).*Content-Length/,
    );
    expect(webhookRefusalMessage({ status: 500, reason: 'raw_body_unavailable', keyId: 'k' })).toMatch(
      /raw body unavailable.*LiveKit retries a 500, and every attempt fails the same way.*rawBody: true/,
    );
  });

  it('counts the refusals the rate limit left out', () => {
    expect(webhookRefusalMessage({ status: 401, reason: 'expired', keyId: 'k' }, 42)).toMatch(
      / \(42 more refused webhook\(s\) not logged since the previous line\)$/,
    );
    expect(webhookRefusalMessage({ status: 401, reason: 'expired', keyId: 'k' }, 0)).not.toContain('not logged');
  });
});

describe('loggableKeyId', () => {
  it('keeps ordinary key ids, bounds long ones and neutralises what could forge a line', () => {
    expect(loggableKeyId('APIabc123_x.y-z')).toBe('APIabc123_x.y-z');
    expect(loggableKeyId('k'.repeat(500))).toBe(`${'k'.repeat(64)}…`);
    expect(loggableKeyId('a"b\\c\nd\u0000é')).toBe('a?b?c?d??');
    expect(loggableKeyId(42)).toBeUndefined();
    expect(loggableKeyId('')).toBeUndefined();
    expect(loggableKeyId(undefined)).toBeUndefined();
  });
});

describe('describeWebhookRefusal', () => {
  it('reads the reason and the key the token named off the guard exceptions', () => {
    expect(describeWebhookRefusal(new LiveKitWebhookUnauthorizedException('unknown_key', 'stranger'))).toEqual({
      status: 401,
      reason: 'unknown_key',
      keyId: 'stranger',
    });
    expect(describeWebhookRefusal(new LiveKitWebhookContentTypeException('text/plain\r\nX: y'), 'k')).toEqual({
      status: 415,
      reason: 'unsupported_content_type',
      keyId: 'k',
      detail: 'text/plain??X: y',
    });
    expect(describeWebhookRefusal(new LiveKitWebhookMalformedException('not JSON'), 'k')).toMatchObject({
      status: 400,
      detail: 'not JSON',
    });
    expect(describeWebhookRefusal(new HttpException('webhook body larger than 9 bytes', HttpStatus.PAYLOAD_TOO_LARGE), 'k')).toMatchObject({
      reason: 'body_too_large',
    });
    expect(describeWebhookRefusal(new HttpException('could not read webhook body: request aborted', 400), 'k')).toMatchObject({
      reason: 'unreadable_body',
    });
    expect(describeWebhookRefusal(new LiveKitRawBodyUnavailableException(), 'k')).toMatchObject({
      status: 500,
      reason: 'raw_body_unavailable',
    });
  });

  it('leaves errors that are not refusals to the exception filter', () => {
    expect(describeWebhookRefusal(new Error('bug'))).toBeUndefined();
    expect(describeWebhookRefusal(new LiveKitWebhookHandlerFailedException(['A.b']))).toBeUndefined();
  });
});
