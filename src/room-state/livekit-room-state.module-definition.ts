import { ConfigurableModuleBuilder } from '@nestjs/common';
import { LiveKitAdminGuard } from '../room/livekit-admin.guard';
import { LIVEKIT_ROOM_MODULE_OPTIONS } from '../room/livekit-room.constants';
import type { LiveKitRoomStateModuleExtras, LiveKitRoomStateModuleOptions } from './interfaces/livekit-room-state-module-options.interface';
import { LIVEKIT_ROOM_STATE_OPTIONS } from './livekit-room-state.constants';
import { createLiveKitRoomStateController } from './livekit-room-state.controller';

export const {
  ConfigurableModuleClass: LiveKitRoomStateConfigurableModule,
  OPTIONS_TYPE: LIVEKIT_ROOM_STATE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LIVEKIT_ROOM_STATE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LiveKitRoomStateModuleOptions>({ optionsInjectionToken: LIVEKIT_ROOM_STATE_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLiveKitRoomStateOptions')
  .setExtras<LiveKitRoomStateModuleExtras>({ routes: false, isGlobal: true }, (definition, extras) => {
    const withGlobal = { ...definition, global: extras.isGlobal };
    if (!extras.routes) return withGlobal;
    const guard = extras.guard ?? LiveKitAdminGuard;
    return {
      ...withGlobal,
      controllers: [createLiveKitRoomStateController(guard, extras.decorators ?? [])],
      providers: [
        ...(definition.providers ?? []),
        // The admin guard reads its token from the room module's options: ours, here, inside this module.
        {
          provide: LIVEKIT_ROOM_MODULE_OPTIONS,
          useFactory: (options: LiveKitRoomStateModuleOptions) => ({ adminToken: options.adminToken }),
          inject: [LIVEKIT_ROOM_STATE_OPTIONS],
        },
        // Listed as a provider so that it is built at boot, where a missing adminToken stops the start.
        guard,
      ],
    };
  })
  .build();
