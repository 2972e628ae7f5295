import type { WebhookRejectionReason } from '../webhook/livekit-webhook.errors';

/** Injection token of the prom-client `Registry` our metrics are registered in. */
export const LIVEKIT_METRICS_REGISTRY = Symbol('LIVEKIT_METRICS_REGISTRY');

export const DEFAULT_METRICS_PATH = 'metrics';
/** Outcomes of a wait for replicas, so that each series exists (at 0) from the start. */
export const REPLICA_WAIT_OUTCOMES = ['confirmed', 'short', 'failed'] as const;

export const DEFAULT_HANDLER_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Every metric this library exposes, by name. */
export const METRIC_NAMES = {
  tokensIssued: 'livekit_tokens_issued_total',
  tokensRefused: 'livekit_token_refusals_total',
  webhooksReceived: 'livekit_webhooks_received_total',
  webhooksRejected: 'livekit_webhooks_rejected_total',
  webhooksDuplicate: 'livekit_webhooks_duplicate_total',
  webhookTimeouts: 'livekit_webhook_timeouts_total',
  handlerDuration: 'livekit_webhook_handler_duration_seconds',
  handlerFailures: 'livekit_webhook_handler_failures_total',
  queueDepth: 'livekit_webhook_queue_depth',
  queueDeadLetters: 'livekit_webhook_queue_dead_letters',
  queueRedisUp: 'livekit_webhook_queue_redis_up',
  roomStateDriftFound: 'livekit_room_state_drift_found_total',
  roomStateDriftRepaired: 'livekit_room_state_drift_repaired_total',
  roomStateReconcileDuration: 'livekit_room_state_reconcile_duration_seconds',
  roomStateReconcileFailures: 'livekit_room_state_reconcile_failures_total',
  queueWaitingOnReplicas: 'livekit_webhook_queue_writes_waiting_on_replicas',
  replicaWaits: 'livekit_redis_replica_waits_total',
  replicaWaitDuration: 'livekit_redis_replica_wait_duration_seconds',
  redisPrimaryChanges: 'livekit_redis_primary_changes_total',
} as const;

/** Every rejection reason, so that each series exists (at 0) before the first rejection. */
export const WEBHOOK_REJECTION_REASONS = [
  'missing_authorization',
  'malformed_token',
  'unknown_key',
  'invalid_signature',
  'expired',
  'invalid_claims',
  'hash_mismatch',
] as const satisfies readonly WebhookRejectionReason[];
