import { Injectable } from '@nestjs/common';
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import type { ClaimGrants } from 'livekit-server-sdk';
import { createHash, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { LiveKitWebhookUnauthorizedException, type WebhookRejectionReason } from './livekit-webhook.errors';
import { loggableKeyId } from './webhook-refusal.messages';

/** The verified claims and the API key that signed them. */
export interface VerifiedWebhookToken {
  apiKey: string;
  claims: ClaimGrants;
}

/**
 * Verifies LiveKit's webhook `Authorization` JWT against every configured key: the token's `iss` picks
 * the secret (with a single key, jose checks that `iss` is it), jose checks the HS256 signature, `exp`
 * (required) and `nbf`, as the SDK's `TokenVerifier` does. Not through `TokenVerifier` itself: it hands jose the secret as bytes, which
 * jose imports as a key on every call (15 µs per webhook against 11 µs with the key imported once, bench/micro.js).
 */
@Injectable()
export class LiveKitWebhookVerifier {
  private readonly keys = new Map<string, KeyObject>();
  private readonly onlyKey: string | undefined;

  constructor(private readonly livekit: ResolvedLiveKitOptions) {
    const apiKeys = livekit.keyIds;
    this.onlyKey = apiKeys.length === 1 ? apiKeys[0] : undefined;
  }

  async verifyToken(authorization: string | undefined): Promise<VerifiedWebhookToken> {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) throw new LiveKitWebhookUnauthorizedException('missing_authorization');
    // With one key (the usual setup) there is nothing to look up: jose checks `iss` itself, and the token is
    // decoded once. With several, the unverified `iss` picks the key.
    const issuer = this.onlyKey ?? issuerOf(token);
    const key = this.keyFor(issuer);
    if (!key) throw new LiveKitWebhookUnauthorizedException('unknown_key', loggableKeyId(issuer));
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer,
        algorithms: ['HS256'],
        clockTolerance: this.livekit.webhookClockToleranceSeconds,
        // A token without `exp` would verify forever (the SDK's TokenVerifier requires it too).
        requiredClaims: ['exp'],
      });
      return { apiKey: issuer, claims: payload };
    } catch (error) {
      // Unverified: named in the refusal's log line only, bounded and sanitised.
      const claimedIssuer = this.onlyKey === undefined ? issuer : issuerOf(token);
      if (claimedIssuer !== issuer) throw new LiveKitWebhookUnauthorizedException('unknown_key', loggableKeyId(claimedIssuer));
      throw new LiveKitWebhookUnauthorizedException(reasonOf(error), loggableKeyId(issuer));
    }
  }

  /** Constant-time check that `claims.sha256` is the base64 SHA-256 of the exact body bytes. */
  verifyBodyHash(claims: ClaimGrants, body: Buffer): void {
    const claimed = typeof claims.sha256 === 'string' ? Buffer.from(claims.sha256, 'base64') : Buffer.alloc(0);
    const actual = createHash('sha256').update(body).digest();
    if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) {
      throw new LiveKitWebhookUnauthorizedException('hash_mismatch');
    }
  }

  private keyFor(apiKey: string): KeyObject | undefined {
    let key = this.keys.get(apiKey);
    if (!key) {
      const secret = this.livekit.secretFor(apiKey);
      if (secret === undefined) return undefined;
      key = createSecretKey(Buffer.from(secret, 'utf8'));
      this.keys.set(apiKey, key);
    }
    return key;
  }
}

/** The token's unverified `iss`, which names the key that should have signed it. */
function issuerOf(token: string): string {
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw new LiveKitWebhookUnauthorizedException('malformed_token');
  }
  if (typeof issuer !== 'string') throw new LiveKitWebhookUnauthorizedException('unknown_key');
  return issuer;
}

function reasonOf(error: unknown): WebhookRejectionReason {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return 'invalid_claims';
  // Signed with the right secret but not with HS256, the only algorithm LiveKit signs with.
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JOSEAlgNotAllowed)
    return 'invalid_signature';
  return 'malformed_token';
}
