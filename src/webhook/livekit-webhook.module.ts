import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FastifyWebhookParserRegistrar } from './fastify-webhook-parser';
import type { LiveKitWebhookModuleOptions } from './interfaces/livekit-webhook-module-options.interface';
import { DEFAULT_WEBHOOK_PATHS } from './livekit-webhook.constants';
import { LiveKitWebhookGuard } from './livekit-webhook.guard';
import { createLiveKitWebhookController } from './webhook.controller';
import { LiveKitWebhookDispatcher } from './webhook-dispatcher.service';
import { LiveKitEventHandlerRegistry } from './webhook-handler.registry';
import { LiveKitWebhookHandlersExplorer } from './webhook-handlers.explorer';
import { LiveKitWebhookVerifier } from './webhook-verifier.service';

const EXPORTS = [LiveKitWebhookGuard, LiveKitWebhookVerifier, LiveKitWebhookDispatcher];

/**
 * Receives LiveKit webhooks: verifies them (`LiveKitWebhookGuard`) and runs the host's
 * `@OnLiveKitEvent` handlers (`LiveKitWebhookDispatcher`). Needs {@link LiveKitModule} registered.
 */
@Module({})
export class LiveKitWebhookModule {
  static forRoot(options: LiveKitWebhookModuleOptions = {}): DynamicModule {
    const paths = typeof options.path === 'string' ? [options.path] : (options.path ?? DEFAULT_WEBHOOK_PATHS);
    return {
      module: LiveKitWebhookModule,
      imports: [DiscoveryModule],
      controllers: options.routes === false ? [] : [createLiveKitWebhookController(paths, options.decorators ?? [])],
      providers: [...EXPORTS, LiveKitEventHandlerRegistry, LiveKitWebhookHandlersExplorer, FastifyWebhookParserRegistrar],
      exports: EXPORTS,
    };
  }
}
