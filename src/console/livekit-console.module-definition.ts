import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LiveKitConsoleModuleExtras, LiveKitConsoleModuleOptions } from './interfaces/livekit-console-module-options.interface';
import { createConsoleAssetsController } from './console-assets.controller';
import { createConsoleDeliveriesController } from './console-deliveries.controller';
import { createConsoleEventsController } from './console-events.controller';
import { createConsoleQueueController } from './console-queue.controller';
import type { ConsoleRouteOptions } from './console-route';
import { createConsoleRoomsController } from './console-rooms.controller';
import { createConsoleSessionController } from './console-session.controller';
import { createConsoleTokensController } from './console-tokens.controller';
import { CONSOLE_HOST_GUARD } from './console.internal-constants';
import { DEFAULT_CONSOLE_PATH, LIVEKIT_CONSOLE_MODULE_OPTIONS } from './livekit-console.constants';

export const {
  ConfigurableModuleClass: LiveKitConsoleConfigurableModule,
  OPTIONS_TYPE: LIVEKIT_CONSOLE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LIVEKIT_CONSOLE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LiveKitConsoleModuleOptions>({ optionsInjectionToken: LIVEKIT_CONSOLE_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLiveKitConsoleOptions')
  .setExtras<LiveKitConsoleModuleExtras>({ path: DEFAULT_CONSOLE_PATH }, (definition, extras) => {
    const route: ConsoleRouteOptions = {
      path: (extras.path ?? DEFAULT_CONSOLE_PATH).replace(/^\/+|\/+$/g, '') || DEFAULT_CONSOLE_PATH,
      hostGuard: extras.guard,
      decorators: extras.decorators ?? [],
    };
    return {
      ...definition,
      // Global: the webhook module finds the console's delivery observer wherever it is registered.
      global: true,
      controllers: [
        createConsoleAssetsController(route),
        createConsoleSessionController(route),
        createConsoleEventsController(route),
        createConsoleDeliveriesController(route),
        createConsoleQueueController(route),
        createConsoleTokensController(route),
        createConsoleRoomsController(route),
      ],
      providers: [
        ...(definition.providers ?? []),
        ...(extras.guard ? [extras.guard] : []),
        { provide: CONSOLE_HOST_GUARD, useValue: extras.guard ?? null },
      ],
    };
  })
  .build();
