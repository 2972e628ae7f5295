import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LiveKitRoomModuleExtras, LiveKitRoomModuleOptions } from './interfaces/livekit-room-module-options.interface';
import { LiveKitAdminGuard } from './livekit-admin.guard';
import { LIVEKIT_ROOM_MODULE_OPTIONS } from './livekit-room.constants';
import { createLiveKitParticipantsController } from './livekit-participants.controller';
import { createLiveKitRoomsController } from './livekit-rooms.controller';

export const {
  ConfigurableModuleClass: LiveKitRoomConfigurableModule,
  OPTIONS_TYPE: LIVEKIT_ROOM_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LIVEKIT_ROOM_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LiveKitRoomModuleOptions>({ optionsInjectionToken: LIVEKIT_ROOM_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLiveKitRoomOptions')
  .setExtras<LiveKitRoomModuleExtras>({ routes: false }, (definition, extras) => {
    if (!extras.routes) return definition;
    const guard = extras.guard ?? LiveKitAdminGuard;
    const decorators = extras.decorators ?? [];
    return {
      ...definition,
      controllers: [createLiveKitRoomsController(guard, decorators), createLiveKitParticipantsController(guard, decorators)],
      // Listed as a provider so that it is built at boot, where a missing adminToken stops the start.
      providers: [...(definition.providers ?? []), guard],
    };
  })
  .build();
