import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { LiveKitRoomChange } from './interfaces/livekit-room-state.interface';
import { LIVEKIT_ROOM_CHANGE_HANDLER_METADATA } from './livekit-room-state.constants';
import { LiveKitRoomStateService } from './livekit-room-state.service';
import { LiveKitRoomChangeListener } from './on-livekit-room-change.decorator';

/** Finds `@OnLiveKitRoomChange()` methods of `@LiveKitRoomChangeListener()` providers in every module. */
@Injectable()
export class RoomChangeHandlersExplorer implements OnApplicationBootstrap {
  private readonly logger = new Logger('LiveKitRoomState');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly state: LiveKitRoomStateService,
  ) {}

  onApplicationBootstrap(): void {
    let count = 0;
    for (const wrapper of this.discovery.getProviders({ metadataKey: LiveKitRoomChangeListener.KEY })) {
      const instance: unknown = wrapper.instance;
      if (wrapper.isAlias || !instance || typeof instance !== 'object') continue;
      if (!wrapper.isDependencyTreeStatic()) {
        this.logger.warn(`${wrapper.name} is request-scoped: room change handlers must be singletons; it is skipped`);
        continue;
      }
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const fn = (instance as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const types = this.reflector.get<string[] | undefined>(LIVEKIT_ROOM_CHANGE_HANDLER_METADATA, fn);
        if (!types) continue;
        this.state.addLocalHandler(`${wrapper.name}.${method}`, types, (change: LiveKitRoomChange) =>
          (fn as (c: LiveKitRoomChange) => unknown).call(instance, change),
        );
        count += 1;
      }
    }
    if (count > 0) this.logger.log(`${count} room change handler(s) registered`);
  }
}
