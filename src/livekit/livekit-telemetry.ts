import { Injectable } from '@nestjs/common';
// Type-only imports: erased at compile time, so livekit/ keeps no runtime dependency on token/ or webhook/.
import type { LiveKitTokenEndpoint } from '../token/interfaces/livekit-token-request.interface';
import type { LiveKitTokenRefusalReason } from '../token/token-refusal.filter';
import type { WebhookRejectionReason } from '../webhook/livekit-webhook.errors';

/**
 * How a wait for Redis replicas ended: enough of them confirmed, too few within the timeout, or it could not
 * be asked. Here, not in queue/, so that the root entry point's types need no optional peer (ioredis).
 */
export type LiveKitReplicaWaitOutcome = 'confirmed' | 'short' | 'failed';

/**
 * What the token and webhook modules report as they work. This default does nothing, so the hot paths
 * pay one empty method call; `LiveKitMetricsModule` replaces it with Prometheus counters, and you can
 * replace it with your own subclass (OpenTelemetry, StatsD…) by providing it under `LIVEKIT_TELEMETRY`
 * in a global module. Every method is synchronous and must not throw: it runs inside request handling.
 */
@Injectable()
export class LiveKitTelemetry {
  /** A token was minted, through `endpoint` (`'direct'` for `LiveKitTokenService.mint`). */
  tokenIssued(_endpoint: LiveKitTokenEndpoint): void {}

  /** A token request through one of our routes was answered with an error, for `reason`. */
  tokenRefused(_reason: LiveKitTokenRefusalReason): void {}

  /** A webhook passed verification (signature, body hash, content type, body); retries count again. */
  webhookReceived(_event: string): void {}

  /** A webhook was refused with 401, for `reason`. */
  webhookRejected(_reason: WebhookRejectionReason): void {}

  /** A verified webhook whose event id had already been processed: acknowledged without running handlers. */
  webhookDuplicate(_event: string): void {}

  /** An event's handlers were still running after `webhookHandlerTimeoutMs` (the webhook answered 503). */
  webhookTimedOut(_event: string): void {}

  /**
   * An `@OnLiveKitEvent` handler finished running `event` after `seconds`; `failed` when it threw.
   * Called in inline and queue mode alike.
   */
  handlerSettled(_handler: string, _event: string, _seconds: number, _failed: boolean): void {}

  /**
   * The room state reconciler found `count` differences of `kind` between the projection and LiveKit's
   * RoomService (`repaired`: those it repaired; the others were newer in the projection than the listing).
   */
  roomStateDrift(_kind: string, _count: number, _repaired: boolean): void {}

  /** A room state reconcile run ended after `seconds`; `failed` when RoomService or the store failed. */
  roomStateReconciled(_seconds: number, _failed: boolean): void {}

  /**
   * A Redis connection of `client` (`'webhook-queue'`) now writes to another primary than before: a
   * Sentinel or Cluster failover was seen (a promoted replica).
   */
  redisPrimaryChanged(_client: string): void {}

  /**
   * A queue write's wait for replicas (`replication`) ended after `seconds`: `confirmed` (answered 200),
   * `short` (too few replicas within the timeout) or `failed` (the primary changed, or `WAIT` failed), both answered 503.
   */
  replicaWaitSettled(_outcome: LiveKitReplicaWaitOutcome, _seconds: number): void {}
}
