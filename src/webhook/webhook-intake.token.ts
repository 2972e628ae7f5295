/**
 * Internal: a global provider of this token replaces the inline intake of `LiveKitWebhookModule`
 * (`LiveKitWebhookQueueModule` provides it). A provider that resolves to `undefined` keeps the inline one.
 */
export const LIVEKIT_WEBHOOK_INTAKE_OVERRIDE = Symbol('LIVEKIT_WEBHOOK_INTAKE_OVERRIDE');
