import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import type { VerifiedWebhookDelivery } from './interfaces/verified-delivery.interface';
import { VERIFIED_DELIVERY_KEY, WEBHOOK_CONTENT_TYPES } from './livekit-webhook.constants';
import { LiveKitWebhookContentTypeException, LiveKitWebhookUnauthorizedException } from './livekit-webhook.errors';
import { readRawBody } from './raw-body.reader';
import { LIVEKIT_WEBHOOK_DELIVERY_OBSERVER, type WebhookDeliveryObserver } from './webhook-delivery-observer';
import { parseWebhookEvent } from './webhook-event.parser';
import { describeWebhookRefusal } from './webhook-refusal.messages';
import { WebhookRefusalLog } from './webhook-refusal.log';
import { LiveKitWebhookVerifier } from './webhook-verifier.service';

type WebhookRequest = { headers: IncomingHttpHeaders; [VERIFIED_DELIVERY_KEY]?: VerifiedWebhookDelivery };

/**
 * Lets a request through only when it is a LiveKit webhook signed by a configured key over these exact
 * bytes. It never answers false: each failure throws its own status (401, 413, 415, 400), and is written
 * to the server log (rate-limited) with the reason, the key the token named and the fix: LiveKit does not
 * retry these, so the log line is where a lost event shows.
 */
@Injectable()
export class LiveKitWebhookGuard implements CanActivate {
  constructor(
    private readonly verifier: LiveKitWebhookVerifier,
    private readonly livekit: ResolvedLiveKitOptions,
    @Optional() private readonly telemetry: LiveKitTelemetry = new LiveKitTelemetry(),
    @Optional() private readonly refusals: WebhookRefusalLog = new WebhookRefusalLog(),
    @Optional() @Inject(LIVEKIT_WEBHOOK_DELIVERY_OBSERVER) private readonly observer?: WebhookDeliveryObserver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const signer: { apiKey?: string } = {};
    try {
      return await this.verify(context.switchToHttp().getRequest<WebhookRequest>(), signer);
    } catch (error) {
      if (error instanceof LiveKitWebhookUnauthorizedException) this.telemetry.webhookRejected(error.reason);
      if (error instanceof HttpException && error.getStatus() === Number(HttpStatus.PAYLOAD_TOO_LARGE)) {
        closeAfterAnswer(context.switchToHttp().getResponse());
      }
      const refusal = describeWebhookRefusal(error, signer.apiKey);
      if (refusal) {
        this.refusals.record(refusal);
        this.observer?.refused(refusal);
      }
      throw error;
    }
  }

  /** `signer.apiKey` is set once the token is verified, so that a later refusal names the key. */
  private async verify(req: WebhookRequest, signer: { apiKey?: string }): Promise<boolean> {
    const { apiKey, claims } = await this.verifier.verifyToken(req.headers.authorization);
    signer.apiKey = apiKey;
    const contentType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (!contentType || !WEBHOOK_CONTENT_TYPES.includes(contentType)) {
      throw new LiveKitWebhookContentTypeException(req.headers['content-type']);
    }
    const rawBody = await readRawBody(req, this.livekit.webhookBodyLimit);
    this.verifier.verifyBodyHash(claims, rawBody);
    const event = parseWebhookEvent(rawBody);
    req[VERIFIED_DELIVERY_KEY] = { event, rawBody, apiKey, dedupeKey: event.id || `sha256:${String(claims.sha256)}` };
    this.telemetry.webhookReceived(event.event);
    return true;
  }
}

/**
 * A 413 leaves the rest of the body unread (declared or chunked): the answer closes the connection, or Node
 * would read the whole body to reuse it. Our own routes are covered before parsing; this covers yours.
 */
function closeAfterAnswer(response: unknown): void {
  const res = (response as { raw?: ServerResponse }).raw ?? (response as ServerResponse);
  if (typeof res.setHeader === 'function' && !res.headersSent) res.setHeader('Connection', 'close');
}
