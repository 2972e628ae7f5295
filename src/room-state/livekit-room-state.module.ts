import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { LiveKitRoomService } from '../room/livekit-room.service';
import { createRoomServiceClient } from '../room/room-service-client.provider';
import type { LiveKitRoomStateModuleOptions } from './interfaces/livekit-room-state-module-options.interface';
import { DEFAULT_RECONCILE_REQUEST_TIMEOUT_MS, LIVEKIT_ROOM_STATE_OPTIONS } from './livekit-room-state.constants';
import { ROOM_STATE_ROOM_SERVICE } from './livekit-room-state.internal-constants';
import {
  LIVEKIT_ROOM_STATE_ASYNC_OPTIONS_TYPE,
  LIVEKIT_ROOM_STATE_OPTIONS_TYPE,
  LiveKitRoomStateConfigurableModule,
} from './livekit-room-state.module-definition';
import { LiveKitRoomStateReconciler } from './livekit-room-state.reconciler';
import { LiveKitRoomStateService } from './livekit-room-state.service';
import { RoomChangeHandlersExplorer } from './room-change-handlers.explorer';
import { RoomChangeSseHub } from './room-change.sse-hub';
import { roomStateStoreProvider } from './room-state-store.provider';
import { RoomStateWebhookListener } from './room-state-webhook.listener';

/**
 * The live room state (rooms → participants → tracks): fed by verified webhooks through
 * `LiveKitWebhookModule`'s handlers, repaired by a reconciler against RoomService, in memory or on Redis.
 * Exports {@link LiveKitRoomStateService} and {@link LiveKitRoomStateReconciler}; with `routes: true`
 * serves `/rooms-state` and its SSE stream behind `LiveKitAdminGuard` or your `guard`. Needs
 * `LiveKitModule` and `LiveKitWebhookModule` registered. Global by default.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    roomStateStoreProvider,
    {
      provide: ROOM_STATE_ROOM_SERVICE,
      useFactory: (livekit: ResolvedLiveKitOptions, options: LiveKitRoomStateModuleOptions) =>
        new LiveKitRoomService(
          createRoomServiceClient(
            livekit,
            { apiUrl: options.apiUrl, requestTimeoutMs: options.reconcileRequestTimeoutMs ?? DEFAULT_RECONCILE_REQUEST_TIMEOUT_MS },
            { timeoutOption: 'reconcileRequestTimeoutMs' },
          ),
        ),
      inject: [ResolvedLiveKitOptions, LIVEKIT_ROOM_STATE_OPTIONS],
    },
    LiveKitRoomStateService,
    LiveKitRoomStateReconciler,
    RoomStateWebhookListener,
    RoomChangeHandlersExplorer,
    RoomChangeSseHub,
  ],
  exports: [LiveKitRoomStateService, LiveKitRoomStateReconciler],
})
export class LiveKitRoomStateModule extends LiveKitRoomStateConfigurableModule {
  /** `forRoot()` alone: in memory, reconciled every 30 s, no routes. */
  static override forRoot(options: typeof LIVEKIT_ROOM_STATE_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof LIVEKIT_ROOM_STATE_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
