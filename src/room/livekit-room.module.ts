import { type DynamicModule, Module } from '@nestjs/common';
import { LiveKitRoomService } from './livekit-room.service';
import {
  LIVEKIT_ROOM_ASYNC_OPTIONS_TYPE,
  LIVEKIT_ROOM_OPTIONS_TYPE,
  LiveKitRoomConfigurableModule,
} from './livekit-room.module-definition';
import { roomServiceClientProvider } from './room-service-client.provider';

/**
 * Room moderation through livekit-server's RoomService API: exports {@link LiveKitRoomService}, and with
 * `routes: true` serves the admin endpoints under `/livekit/rooms`, behind {@link LiveKitAdminGuard} or
 * your `guard`. Needs {@link LiveKitModule} registered (it is global by default).
 */
@Module({
  providers: [roomServiceClientProvider, LiveKitRoomService],
  exports: [LiveKitRoomService],
})
export class LiveKitRoomModule extends LiveKitRoomConfigurableModule {
  /** `forRoot()` alone gives the service without routes. */
  static override forRoot(options: typeof LIVEKIT_ROOM_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof LIVEKIT_ROOM_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
