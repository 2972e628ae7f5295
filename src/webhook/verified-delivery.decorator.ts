import { createParamDecorator, type ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { VerifiedWebhookDelivery } from './interfaces/verified-delivery.interface';
import { VERIFIED_DELIVERY_KEY } from './livekit-webhook.constants';

/** Injects the delivery that `LiveKitWebhookGuard` verified; use it on a route guarded by it. */
export const VerifiedLiveKitDelivery = createParamDecorator((_: unknown, context: ExecutionContext): VerifiedWebhookDelivery => {
  const req = context.switchToHttp().getRequest<{ [VERIFIED_DELIVERY_KEY]?: VerifiedWebhookDelivery }>();
  const delivery = req[VERIFIED_DELIVERY_KEY];
  if (!delivery) {
    throw new InternalServerErrorException('no verified LiveKit webhook on this request: guard the route with LiveKitWebhookGuard');
  }
  return delivery;
});
