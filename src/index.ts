// Public API: modules, decorators, injectables, tokens, option and event types.
export { LiveKitModule } from './livekit/livekit.module';
export { LIVEKIT_MODULE_OPTIONS } from './livekit/livekit.constants';
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

export { LiveKitErrorResponseFilter, type ErrorResponseBody } from './common/error-response.filter';
export type { WebhookEvent } from 'livekit-server-sdk';
