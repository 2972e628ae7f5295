import {
  applyDecorators,
  Controller,
  HttpCode,
  HttpStatus,
  Inject,
  Optional,
  Post,
  SetMetadata,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import type { VerifiedWebhookDelivery } from './interfaces/verified-delivery.interface';
import { LIVEKIT_WEBHOOK_ROUTE_METADATA } from './livekit-webhook.constants';
import { LiveKitWebhookGuard } from './livekit-webhook.guard';
import { VerifiedLiveKitDelivery } from './verified-delivery.decorator';
import { LiveKitWebhookIntake, type WebhookIntakeOutcome } from './livekit-webhook-intake';
import { LIVEKIT_WEBHOOK_DELIVERY_OBSERVER, type WebhookDeliveryObserver } from './webhook-delivery-observer';

export interface WebhookAcknowledgement {
  status: WebhookIntakeOutcome;
  id: string;
}

/**
 * Builds the webhook controller for the configured paths (a class per configuration, as
 * `@nestjs/passport` builds guards), with the host's own decorators applied to it.
 */
export function createLiveKitWebhookController(paths: string[], decorators: ClassDecorator[]): Type<unknown> {
  @Controller()
  // Called by livekit-server, not by API clients: left out of the OpenAPI document.
  @DocumentedAs('excluded')
  @SetMetadata(LIVEKIT_WEBHOOK_ROUTE_METADATA, true)
  @UseFilters(LiveKitErrorResponseFilter)
  @applyDecorators(...decorators)
  class LiveKitWebhookController {
    constructor(
      private readonly intake: LiveKitWebhookIntake,
      @Optional() @Inject(LIVEKIT_WEBHOOK_DELIVERY_OBSERVER) private readonly observer?: WebhookDeliveryObserver,
    ) {}

    @Post(paths)
    @HttpCode(HttpStatus.OK)
    @UseGuards(LiveKitWebhookGuard)
    async receive(@VerifiedLiveKitDelivery() delivery: VerifiedWebhookDelivery): Promise<WebhookAcknowledgement> {
      const observer = this.observer;
      if (observer === undefined) return { status: await this.intake.accept(delivery), id: delivery.dedupeKey };
      observer.received(delivery);
      try {
        const status = await this.intake.accept(delivery);
        observer.answered(delivery, status);
        return { status, id: delivery.dedupeKey };
      } catch (error) {
        observer.answered(delivery, undefined, error);
        throw error;
      }
    }
  }
  return LiveKitWebhookController;
}
