import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitWebhookListener } from './on-livekit-event.decorator';
import { LIVEKIT_EVENT_HANDLER_METADATA } from './livekit-webhook.constants';
import { LiveKitEventHandlerRegistry } from './webhook-handler.registry';

/** Finds `@OnLiveKitEvent` methods of `@LiveKitWebhookListener` providers in every module of the app. */
@Injectable()
export class LiveKitWebhookHandlersExplorer implements OnApplicationBootstrap {
  private readonly logger = new Logger('LiveKitWebhook');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: LiveKitEventHandlerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: LiveKitWebhookListener.KEY })) {
      const instance: unknown = wrapper.instance;
      if (wrapper.isAlias || !instance || typeof instance !== 'object') continue;
      if (!wrapper.isDependencyTreeStatic()) {
        this.logger.warn(`${wrapper.name} is request-scoped: LiveKit webhook handlers must be singletons; it is skipped`);
        continue;
      }
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = (instance as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const events = this.reflector.get<string[] | undefined>(LIVEKIT_EVENT_HANDLER_METADATA, fn);
        if (!events) continue;
        this.registry.add({
          id: `${wrapper.name}.${method}`,
          events,
          handle: (event: WebhookEvent) => (fn as (e: WebhookEvent) => unknown).call(instance, event),
        });
      }
    }
    this.logger.log(`${this.registry.size} LiveKit webhook handler(s) registered`);
  }
}
