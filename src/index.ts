// `nest-livekit`: the LiveKit core module, access tokens, verified webhooks, room moderation and agent dispatch.
// Features that need optional peers have their own entry points: /queue, /metrics, /health,
// /rate-limit, /openapi; /testing helps hosts test their handlers.
export { LiveKitModule } from './livekit/livekit.module';
export { LIVEKIT_MODULE_OPTIONS, LIVEKIT_TELEMETRY } from './livekit/livekit.constants';
export { LiveKitTelemetry } from './livekit/livekit-telemetry';
export type { LiveKitModuleOptions } from './livekit/interfaces/livekit-module-options.interface';
export { LiveKitOptionsError } from './livekit/livekit.errors';
export { parseDurationSeconds as parseLiveKitDurationSeconds } from './livekit/duration';

export { LiveKitTokenModule } from './token/livekit-token.module';
export type { LiveKitTokenModuleOptions } from './token/interfaces/livekit-token-module-options.interface';
export { LiveKitTokenService, type IssuedLiveKitToken } from './token/livekit-token.service';
export { LiveKitTokenPolicy } from './token/livekit-token.policy';
export { DefaultLiveKitTokenPolicy } from './token/default-token.policy';
export type { LiveKitTokenRequest, LiveKitTokenEndpoint } from './token/interfaces/livekit-token-request.interface';
export type { LiveKitTokenDecision } from './token/interfaces/livekit-token-decision.interface';
export { LiveKitTokenFieldNotAllowedException, LiveKitTokenFieldInvalidException } from './token/livekit-token.errors';
export { STANDARD_TOKEN_FIELDS, type StandardTokenField } from './token/livekit-token.constants';
export type { StandardTokenResponse } from './token/standard-token.controller';
export { liveKitTokenRouteMatcher } from './token/livekit-token-routes';

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

export { LiveKitAgentDispatchModule } from './agent-dispatch/livekit-agent-dispatch.module';
export { LIVEKIT_AGENT_DISPATCH_MODULE_OPTIONS, LIVEKIT_AGENT_DISPATCHES_PATH } from './agent-dispatch/livekit-agent-dispatch.constants';
export type {
  LiveKitAgentDispatchModuleOptions,
  LiveKitAgentDispatchModuleExtras,
} from './agent-dispatch/interfaces/livekit-agent-dispatch-module-options.interface';
export type { LiveKitCreateAgentDispatchOptions } from './agent-dispatch/interfaces/livekit-agent-dispatch-operations.interface';
export { LiveKitAgentDispatchService } from './agent-dispatch/livekit-agent-dispatch.service';
export { LiveKitAgentDispatchNotFoundException } from './agent-dispatch/livekit-agent-dispatch.errors';

export { LiveKitErrorResponseFilter, type ErrorResponseBody } from './common/error-response.filter';
export { LiveKitMissingPeerError } from './common/optional-peer';

// The SDK types that appear in our API, so that hosts need no import of livekit-server-sdk of their own.
export { WebhookEvent } from 'livekit-server-sdk';
export type { AgentDispatch, ParticipantInfo, Room, TrackInfo, VideoGrant } from 'livekit-server-sdk';
