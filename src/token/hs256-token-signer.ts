import { claimsToJwtPayload, type ClaimGrants } from 'livekit-server-sdk';
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

/**
 * Signs LiveKit access tokens with node:crypto's HMAC, with the key imported once, instead of the SDK's
 * `AccessToken.toJwt()`. Why by hand: `toJwt()` encodes the secret and has jose import it as a key on every
 * call, then builds the token through jose's SignJWT (which also signs with `createHmac`, synchronously):
 * 15 µs of CPU per token against 6.6 µs here on Node 20, 11 µs against 3.6 µs on Node 24 (bench/micro.js).
 * The output is the same JWT the SDK builds (same header, claims and order), checked by the
 * SDK's `TokenVerifier` in `hs256-token-signer.spec.ts`.
 */
export class Hs256TokenSigner {
  private readonly key: KeyObject;

  constructor(
    private readonly apiKey: string,
    apiSecret: string,
  ) {
    this.key = createSecretKey(Buffer.from(apiSecret, 'utf8'));
  }

  /** `grants` as the SDK's AccessToken holds them (video, name, metadata, attributes, roomConfig…). */
  sign(identity: string, grants: ClaimGrants, ttlSeconds: number, nowMs = Date.now()): string {
    const now = Math.floor(nowMs / 1000);
    const payload = { ...claimsToJwtPayload(grants), iss: this.apiKey, exp: now + ttlSeconds, nbf: now, sub: identity };
    const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = createHmac('sha256', this.key).update(signingInput).digest('base64url');
    return `${signingInput}.${signature}`;
  }
}
