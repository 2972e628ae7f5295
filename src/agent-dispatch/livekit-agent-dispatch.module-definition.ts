import { ConfigurableModuleBuilder } from '@nestjs/common';
import { LiveKitAdminGuard } from '../room/livekit-admin.guard';
import { LIVEKIT_ROOM_MODULE_OPTIONS } from '../room/livekit-room.constants';
import type {
  LiveKitAgentDispatchModuleExtras,
  LiveKitAgentDispatchModuleOptions,
} from './interfaces/livekit-agent-dispatch-module-options.interface';
import { LIVEKIT_AGENT_DISPATCH_MODULE_OPTIONS } from './livekit-agent-dispatch.constants';
import { createLiveKitAgentDispatchesController } from './livekit-agent-dispatches.controller';

export const {
  ConfigurableModuleClass: LiveKitAgentDispatchConfigurableModule,
  OPTIONS_TYPE: LIVEKIT_AGENT_DISPATCH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LIVEKIT_AGENT_DISPATCH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LiveKitAgentDispatchModuleOptions>({ optionsInjectionToken: LIVEKIT_AGENT_DISPATCH_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLiveKitAgentDispatchOptions')
  .setExtras<LiveKitAgentDispatchModuleExtras>({ routes: false }, (definition, extras) => {
    if (!extras.routes) return definition;
    const guard = extras.guard ?? LiveKitAdminGuard;
    return {
      ...definition,
      controllers: [createLiveKitAgentDispatchesController(guard, extras.decorators ?? [])],
      providers: [
        ...(definition.providers ?? []),
        // LiveKitAdminGuard reads `adminToken` from the room module's options token: here, ours.
        { provide: LIVEKIT_ROOM_MODULE_OPTIONS, useExisting: LIVEKIT_AGENT_DISPATCH_MODULE_OPTIONS },
        // Listed as a provider so that it is built at boot, where a missing adminToken stops the start.
        guard,
      ],
    };
  })
  .build();
