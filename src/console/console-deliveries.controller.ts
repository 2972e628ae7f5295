import { BadRequestException, Body, Get, HttpCode, HttpStatus, Post, Query, type Type } from '@nestjs/common';
import { LiveKitConsoleDeliveryLog } from './console-delivery.log';
import { ConsoleApiController, type ConsoleRouteOptions } from './console-route';
import type { LiveKitConsoleDelivery } from './interfaces/console-delivery.interface';
import { type ConsoleTestEventResult, type ConsoleTestEventType, ConsoleTestWebhookSender, TEST_EVENT_TYPES } from './test-webhook.sender';

const MAX_FILTER = 64;

/** `/<path>/api/deliveries`: the recent webhook deliveries (filtered by event type and outcome), and "send test event". */
export function createConsoleDeliveriesController(options: ConsoleRouteOptions): Type<unknown> {
  @ConsoleApiController(options, 'deliveries')
  class LiveKitConsoleDeliveriesController {
    constructor(
      private readonly log: LiveKitConsoleDeliveryLog,
      private readonly sender: ConsoleTestWebhookSender,
    ) {}

    @Get()
    list(@Query('event') event?: unknown, @Query('outcome') outcome?: unknown): { deliveries: LiveKitConsoleDelivery[] } {
      const byEvent = filterOf('event', event);
      const byOutcome = filterOf('outcome', outcome);
      return {
        deliveries: this.log
          .list()
          .filter((d) => (byEvent === undefined || d.event === byEvent) && (byOutcome === undefined || d.outcome === byOutcome)),
      };
    }

    /** Posts a signed test webhook to this app's webhook endpoint; answers with what the endpoint answered. */
    @Post('test')
    @HttpCode(HttpStatus.OK)
    sendTest(@Body() body: unknown): Promise<ConsoleTestEventResult> {
      const type = typeof body === 'object' && body !== null ? (body as { event?: unknown }).event : undefined;
      if (type !== undefined && !(TEST_EVENT_TYPES as readonly unknown[]).includes(type)) {
        throw new BadRequestException(`event must be one of ${TEST_EVENT_TYPES.join(', ')}`);
      }
      return this.sender.send((type as ConsoleTestEventType | undefined) ?? 'room_started');
    }
  }
  return LiveKitConsoleDeliveriesController;
}

function filterOf(name: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_FILTER) throw new BadRequestException(`${name} must be a short string`);
  return value;
}
