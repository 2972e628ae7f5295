import type { ExecutionContext } from '@nestjs/common';
import { LIVEKIT_WEBHOOK_ROUTE_METADATA } from './livekit-webhook.constants';

/**
 * For your global auth guard: true on our webhook route, which LiveKit calls with its own signature
 * (checked by our guard right after yours) and not with your users' credentials.
 */
export function isLiveKitWebhookRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(LIVEKIT_WEBHOOK_ROUTE_METADATA, context.getClass()) === true;
}
