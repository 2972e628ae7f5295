import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import { LiveKitWebhookListener } from './on-livekit-event.decorator';
import { LIVEKIT_EVENT_HANDLER_METADATA } from './livekit-webhook.constants';
import { LiveKitEventHandlerRegistry } from './webhook-handler.registry';
import { timedHandler } from './timed-handler';
import { LIVEKIT_WEBHOOK_DELIVERY_OBSERVER, type WebhookDeliveryObserver } from './webhook-delivery-observer';

/** Finds `@OnLiveKitEvent` methods of `@LiveKitWebhookListener` providers in every module of the app. */
@Injectable()
export class LiveKitWebhookHandlersExplorer implements OnApplicationBootstrap {
  private readonly logger = new Logger('LiveKitWebhook');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: LiveKitEventHandlerRegistry,
    @Optional() private readonly telemetry: LiveKitTelemetry = new LiveKitTelemetry(),
    @Optional() @Inject(LIVEKIT_WEBHOOK_DELIVERY_OBSERVER) private readonly observer?: WebhookDeliveryObserver,
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
        const id = `${wrapper.name}.${method}`;
        this.registry.add({
          id,
          events,
          handle: timedHandler(
            id,
            (event: WebhookEvent) => (fn as (e: WebhookEvent) => unknown).call(instance, event),
            this.telemetry,
            this.observer,
          ),
        });
      }
    }
    this.registry.seal();
    this.logger.log(`${this.registry.size} LiveKit webhook handler(s) registered`);
  }
}
