// Public API: modules, decorators, injectables, tokens, option and event types.
export { LiveKitModule } from './livekit/livekit.module';
export { LIVEKIT_MODULE_OPTIONS, LIVEKIT_TELEMETRY } from './livekit/livekit.constants';
export { LiveKitTelemetry } from './livekit/livekit-telemetry';
export type { LiveKitModuleOptions } from './livekit/interfaces/livekit-module-options.interface';
export { ResolvedLiveKitOptions } from './livekit/resolved-livekit-options';
export { LiveKitOptionsError } from './livekit/livekit.errors';

export { livekitConfig, loadLiveKitOptions } from './config/livekit.config';
export { ConfigValidationError } from './config/config.errors';

export { LiveKitTokenModule } from './token/livekit-token.module';
export type { LiveKitTokenModuleOptions } from './token/interfaces/livekit-token-module-options.interface';
export { LiveKitTokenService, type IssuedLiveKitToken } from './token/livekit-token.service';
export { LiveKitTokenPolicy } from './token/livekit-token.policy';
export { DefaultLiveKitTokenPolicy } from './token/default-token.policy';
export type { LiveKitTokenRequest, LiveKitTokenEndpoint } from './token/interfaces/livekit-token-request.interface';
export type { LiveKitTokenDecision } from './token/interfaces/livekit-token-decision.interface';
export { LiveKitTokenFieldNotAllowedException, LiveKitTokenFieldInvalidException } from './token/livekit-token.errors';
export { STANDARD_TOKEN_FIELDS, type StandardTokenField } from './token/livekit-token.constants';

export { LiveKitWebhookModule } from './webhook/livekit-webhook.module';
export type { LiveKitWebhookModuleOptions } from './webhook/interfaces/livekit-webhook-module-options.interface';
export { LiveKitWebhookListener, OnLiveKitEvent, OnAnyLiveKitEvent } from './webhook/on-livekit-event.decorator';
export type { LiveKitEventName } from './webhook/livekit-event-names';
export { LiveKitWebhookGuard } from './webhook/livekit-webhook.guard';
export { LiveKitWebhookVerifier } from './webhook/webhook-verifier.service';
export { LiveKitWebhookDispatcher, type DispatchOutcome } from './webhook/webhook-dispatcher.service';
export { VerifiedLiveKitDelivery } from './webhook/verified-delivery.decorator';
export type { VerifiedWebhookDelivery } from './webhook/interfaces/verified-delivery.interface';
export { isLiveKitWebhookRoute } from './webhook/is-livekit-webhook-route';
export { captureRawBody } from './webhook/raw-body.reader';
export * from './webhook/livekit-webhook.errors';
export { LiveKitWebhookIntake, type WebhookIntakeOutcome } from './webhook/livekit-webhook-intake';

export { LiveKitWebhookQueueModule } from './queue/livekit-webhook-queue.module';
export type { LiveKitWebhookQueueModuleOptions } from './queue/interfaces/livekit-webhook-queue-module-options.interface';
export { LIVEKIT_WEBHOOK_QUEUE_OPTIONS } from './queue/livekit-webhook-queue.constants';
export { LiveKitWebhookQueue } from './queue/livekit-webhook-queue.service';
export { LiveKitWebhookDeadLetters, type LiveKitWebhookDeadLetter } from './queue/livekit-webhook-dead-letters.service';
export * from './queue/livekit-webhook-queue.errors';
export { webhookQueueConfig, loadWebhookQueueOptions } from './config/webhook-queue.config';

export { LiveKitRoomModule } from './room/livekit-room.module';
export { LIVEKIT_ROOM_MODULE_OPTIONS, LIVEKIT_ROOMS_PATH } from './room/livekit-room.constants';
export type { LiveKitRoomModuleOptions, LiveKitRoomModuleExtras } from './room/interfaces/livekit-room-module-options.interface';
export type {
  LiveKitCreateRoomOptions,
  LiveKitParticipantUpdate,
  LiveKitSendDataOptions,
} from './room/interfaces/livekit-room-operations.interface';
export { LiveKitRoomService } from './room/livekit-room.service';
export { LiveKitAdminGuard } from './room/livekit-admin.guard';
export * from './room/livekit-room.errors';
export type { LiveKitJson } from './room/livekit-room.serializer';

export { LiveKitMetricsModule } from './metrics/livekit-metrics.module';
export type { LiveKitMetricsModuleOptions } from './metrics/interfaces/livekit-metrics-module-options.interface';
export { LIVEKIT_METRICS_REGISTRY, METRIC_NAMES as LIVEKIT_METRIC_NAMES } from './metrics/livekit-metrics.constants';
export { PrometheusLiveKitTelemetry } from './metrics/prometheus-telemetry';

export { LiveKitHealthModule } from './health/livekit-health.module';
export type { LiveKitHealthModuleOptions } from './health/interfaces/livekit-health-module-options.interface';

export { LiveKitTokenRateLimitModule } from './rate-limit/livekit-token-rate-limit.module';
export type {
  LiveKitTokenRateLimitModuleOptions,
  LiveKitTokenRateLimitRedisOptions,
} from './rate-limit/interfaces/livekit-token-rate-limit-module-options.interface';
export { LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS } from './rate-limit/livekit-token-rate-limit.constants';
export { RedisThrottlerStorage } from './rate-limit/redis-throttler.storage';
export { tokenRateLimitConfig, loadTokenRateLimitOptions } from './config/token-rate-limit.config';

export { LiveKitErrorResponseFilter, type ErrorResponseBody } from './common/error-response.filter';
export { ErrorResponseDto } from './common/error-response.dto';
export type { WebhookEvent } from 'livekit-server-sdk';
