import { Injectable } from '@nestjs/common';
import { decodeJwt, errors as joseErrors } from 'jose';
import { type ClaimGrants, TokenVerifier } from 'livekit-server-sdk';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { LiveKitWebhookUnauthorizedException, type WebhookRejectionReason } from './livekit-webhook.errors';
import { loggableKeyId } from './webhook-refusal.messages';

/** The verified claims and the API key that signed them. */
export interface VerifiedWebhookToken {
  apiKey: string;
  claims: ClaimGrants;
}

/**
 * Verifies LiveKit's webhook `Authorization` JWT against every configured key: the token's `iss`
 * picks the secret, the SDK's `TokenVerifier` checks the signature, `exp` (required) and `nbf`.
 */
@Injectable()
export class LiveKitWebhookVerifier {
  private readonly verifiers = new Map<string, TokenVerifier>();

  constructor(private readonly livekit: ResolvedLiveKitOptions) {}

  async verifyToken(authorization: string | undefined): Promise<VerifiedWebhookToken> {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) throw new LiveKitWebhookUnauthorizedException('missing_authorization');
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new LiveKitWebhookUnauthorizedException('malformed_token');
    }
    // Unverified until the signature is checked: named in the refusal's log line only, bounded and sanitised.
    const keyId = loggableKeyId(issuer);
    const verifier = typeof issuer === 'string' ? this.verifierFor(issuer) : undefined;
    if (!verifier || typeof issuer !== 'string') throw new LiveKitWebhookUnauthorizedException('unknown_key', keyId);
    try {
      const claims = await verifier.verify(token, this.livekit.webhookClockToleranceSeconds);
      return { apiKey: issuer, claims };
    } catch (error) {
      throw new LiveKitWebhookUnauthorizedException(reasonOf(error), keyId);
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

  private verifierFor(apiKey: string): TokenVerifier | undefined {
    let verifier = this.verifiers.get(apiKey);
    if (!verifier) {
      const secret = this.livekit.secretFor(apiKey);
      if (secret === undefined) return undefined;
      verifier = new TokenVerifier(apiKey, secret);
      this.verifiers.set(apiKey, verifier);
    }
    return verifier;
  }
}

function reasonOf(error: unknown): WebhookRejectionReason {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return 'invalid_claims';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'invalid_signature';
  return 'malformed_token';
}
