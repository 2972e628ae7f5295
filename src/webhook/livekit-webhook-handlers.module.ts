import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LiveKitEventHandlerRegistry } from './webhook-handler.registry';
import { LiveKitWebhookHandlersExplorer } from './webhook-handlers.explorer';

/**
 * Internal: the one registry of discovered `@OnLiveKitEvent` handlers, shared by whatever runs them
 * (the inline dispatcher, the queue workers). A static module, so every importer gets the same instance.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [LiveKitEventHandlerRegistry, LiveKitWebhookHandlersExplorer],
  exports: [LiveKitEventHandlerRegistry],
})
export class LiveKitWebhookHandlersModule {}
