import type { IncomingHttpHeaders } from 'node:http';
import type { DeclaredLengthRefusalHook } from '../common/declared-length-limit.provider';
import { WebhookRefusalLog } from './webhook-refusal.log';
import { LiveKitWebhookVerifier } from './webhook-verifier.service';

/**
 * Logs a webhook refused 413 for its declared length before any parser read it, as the guard logs its own
 * refusals: the key is named when the token verifies (a forged token is logged without one).
 */
export const EARLY_WEBHOOK_REFUSAL_LOG: DeclaredLengthRefusalHook = {
  inject: [LiveKitWebhookVerifier, WebhookRefusalLog],
  create: (dependencies) => {
    const [verifier, log] = dependencies as [LiveKitWebhookVerifier, WebhookRefusalLog];
    return (headers: IncomingHttpHeaders, message: string) => {
      const record = (keyId?: string) => log.record({ status: 413, reason: 'body_too_large', keyId, detail: message });
      verifier.verifyToken(headers.authorization).then(
        ({ apiKey }) => record(apiKey),
        () => record(),
      );
    };
  },
};
