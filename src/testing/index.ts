// `nest-livekit/testing`: sign and post webhooks as LiveKit Server does, and test credentials, so that
// hosts test their handlers without writing JWT code.
export { LIVEKIT_TEST_CREDENTIALS, liveKitTestOptions } from './livekit-test-credentials';
export { LiveKitTestingModule } from './livekit-testing.module';
export { liveKitWebhookEvent, type LiveKitWebhookEventJson } from './livekit-webhook-event';
export { signLiveKitWebhook, type LiveKitWebhookSigningOptions, type SignedLiveKitWebhook } from './sign-livekit-webhook';
export { postLiveKitWebhook, type PostLiveKitWebhookOptions, type LiveKitWebhookResponse } from './post-livekit-webhook';
