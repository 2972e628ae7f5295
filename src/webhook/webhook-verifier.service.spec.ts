import { SignJWT } from 'jose';
import { AccessToken } from 'livekit-server-sdk';
import { createHash } from 'node:crypto';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { LiveKitWebhookUnauthorizedException } from './livekit-webhook.errors';
import { LiveKitWebhookVerifier } from './webhook-verifier.service';

const SECRET = 'a-secret-of-at-least-32-characters-long';
const verifier = new LiveKitWebhookVerifier(new ResolvedLiveKitOptions({ apiKey: 'k', apiSecret: SECRET, keys: { k2: `${SECRET}2` } }));
const body = Buffer.from('{"event":"room_started","id":"EV_1"}');
const hash = createHash('sha256').update(body).digest('base64');

async function sign(key: string, secret: string, sha256 = hash): Promise<string> {
  const token = new AccessToken(key, secret, { ttl: '5m' });
  token.sha256 = sha256;
  return token.toJwt();
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LiveKitWebhookUnauthorizedException) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('LiveKitWebhookVerifier', () => {
  it('accepts a token of any configured key, also with a Bearer prefix', async () => {
    expect((await verifier.verifyToken(await sign('k', SECRET))).apiKey).toBe('k');
    expect((await verifier.verifyToken(`Bearer ${await sign('k2', `${SECRET}2`)}`)).apiKey).toBe('k2');
  });

  it('names why a token is refused', async () => {
    expect(await reason(verifier.verifyToken(undefined))).toBe('missing_authorization');
    expect(await reason(verifier.verifyToken('a.b.c'))).toBe('malformed_token');
    expect(await reason(verifier.verifyToken(await sign('nobody', SECRET)))).toBe('unknown_key');
    expect(await reason(verifier.verifyToken(await sign('k', `${SECRET}x`)))).toBe('invalid_signature');
    expect(await reason(verifier.verifyToken(await sign('k2', SECRET)))).toBe('invalid_signature');
  });

  it('refuses what the SDK would accept only by accident: another HMAC algorithm, no expiry, a wrong issuer', async () => {
    const secret = new TextEncoder().encode(SECRET);
    const claims = { sha256: hash };
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).setIssuer('k').setExpirationTime('5m').sign(secret);
    expect(await reason(verifier.verifyToken(hs512))).toBe('invalid_signature');
    const forever = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('k').sign(secret);
    expect(await reason(verifier.verifyToken(forever))).toBe('invalid_claims');
    const expired = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('k').setExpirationTime('-1m').sign(secret);
    expect(await reason(verifier.verifyToken(expired))).toBe('expired');
  });

  it('names the key the token claims on its refusal, bounded and sanitised, never more of the token', async () => {
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error as LiveKitWebhookUnauthorizedException,
      );
    expect(await refusal(verifier.verifyToken(await sign('prod-key-2', SECRET)))).toMatchObject({
      reason: 'unknown_key',
      keyId: 'prod-key-2',
    });
    expect(await refusal(verifier.verifyToken(await sign('k', `${SECRET}x`)))).toMatchObject({ reason: 'invalid_signature', keyId: 'k' });
    const forged = await refusal(verifier.verifyToken(await sign(`evil"\n${'x'.repeat(300)}`, SECRET)));
    expect(forged?.keyId).toBe(`evil??${'x'.repeat(58)}…`);
    expect((await refusal(verifier.verifyToken('a.b.c')))?.keyId).toBeUndefined();
  });

  it('gives the same verdicts with a single key, where jose checks the issuer itself', async () => {
    const single = new LiveKitWebhookVerifier(new ResolvedLiveKitOptions({ apiKey: 'k', apiSecret: SECRET }));
    const refusal = async (token: string | undefined) => {
      try {
        await single.verifyToken(token);
      } catch (error) {
        const { reason: why, keyId } = error as LiveKitWebhookUnauthorizedException;
        return { reason: why, keyId };
      }
      return { reason: 'accepted', keyId: undefined };
    };
    const secret = new TextEncoder().encode(SECRET);
    const claims = { sha256: hash };
    expect((await single.verifyToken(await sign('k', SECRET))).apiKey).toBe('k');
    expect(await refusal(undefined)).toEqual({ reason: 'missing_authorization', keyId: undefined });
    expect(await refusal('a.b.c')).toEqual({ reason: 'malformed_token', keyId: undefined });
    expect(await refusal(await sign('k2', SECRET))).toEqual({ reason: 'unknown_key', keyId: 'k2' });
    expect(await refusal(await sign('k2', `${SECRET}x`))).toEqual({ reason: 'unknown_key', keyId: 'k2' });
    expect(await refusal(await sign('k', `${SECRET}x`))).toEqual({ reason: 'invalid_signature', keyId: 'k' });
    const noIssuer = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(secret);
    expect(await refusal(noIssuer)).toEqual({ reason: 'unknown_key', keyId: undefined });
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).setIssuer('k').setExpirationTime('5m').sign(secret);
    expect(await refusal(hs512)).toEqual({ reason: 'invalid_signature', keyId: 'k' });
    const forever = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('k').sign(secret);
    expect(await refusal(forever)).toEqual({ reason: 'invalid_claims', keyId: 'k' });
    const expired = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('k').setExpirationTime('-1m').sign(secret);
    expect(await refusal(expired)).toEqual({ reason: 'expired', keyId: 'k' });
  });

  it('checks the body hash byte for byte', async () => {
    const { claims } = await verifier.verifyToken(await sign('k', SECRET));
    expect(() => verifier.verifyBodyHash(claims, body)).not.toThrow();
    expect(() => verifier.verifyBodyHash(claims, Buffer.concat([body, Buffer.from('\n')]))).toThrow(LiveKitWebhookUnauthorizedException);
    expect(() => verifier.verifyBodyHash({ ...claims, sha256: undefined }, body)).toThrow(LiveKitWebhookUnauthorizedException);
    expect(() => verifier.verifyBodyHash({ ...claims, sha256: 'short' }, body)).toThrow(LiveKitWebhookUnauthorizedException);
  });
});
