import { applyDecorators, Controller, HttpCode, HttpStatus, Post, SetMetadata, type Type, UseFilters, UseGuards } from '@nestjs/common';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import type { VerifiedWebhookDelivery } from './interfaces/verified-delivery.interface';
import { LIVEKIT_WEBHOOK_ROUTE_METADATA } from './livekit-webhook.constants';
import { LiveKitWebhookGuard } from './livekit-webhook.guard';
import { VerifiedLiveKitDelivery } from './verified-delivery.decorator';
import { LiveKitWebhookIntake, type WebhookIntakeOutcome } from './livekit-webhook-intake';

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
    constructor(private readonly intake: LiveKitWebhookIntake) {}

    @Post(paths)
    @HttpCode(HttpStatus.OK)
    @UseGuards(LiveKitWebhookGuard)
    async receive(@VerifiedLiveKitDelivery() delivery: VerifiedWebhookDelivery): Promise<WebhookAcknowledgement> {
      const status = await this.intake.accept(delivery);
      return { status, id: delivery.dedupeKey };
    }
  }
  return LiveKitWebhookController;
}
