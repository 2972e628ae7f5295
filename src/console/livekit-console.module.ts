import { type CanActivate, type DynamicModule, Module, type Type } from '@nestjs/common';
import { LiveKitRoomModule } from '../room/livekit-room.module';
import { LiveKitWebhookHandlersModule } from '../webhook/livekit-webhook-handlers.module';
import { LIVEKIT_WEBHOOK_DELIVERY_OBSERVER } from '../webhook/webhook-delivery-observer';
import type { LiveKitConsoleModuleOptions } from './interfaces/livekit-console-module-options.interface';
import { LiveKitConsoleDeliveryLog } from './console-delivery.log';
import { ConsoleRoomSource } from './console-room.source';
import { ConsoleRoomSourceSelector } from './console-room-source.selector';
import { ConsoleSessionGuard } from './console-session.guard';
import { ConsoleSessionStore } from './console-session.store';
import { ConsoleSignIn } from './console-sign-in.service';
import { CONSOLE_HOST_GUARD } from './console.internal-constants';
import { LIVEKIT_CONSOLE_MODULE_OPTIONS } from './livekit-console.constants';
import {
  LIVEKIT_CONSOLE_ASYNC_OPTIONS_TYPE,
  LIVEKIT_CONSOLE_OPTIONS_TYPE,
  LiveKitConsoleConfigurableModule,
} from './livekit-console.module-definition';
import { PollingConsoleRoomSource } from './polling-room.source';
import { ResolvedConsoleOptions } from './resolved-console-options';
import { ConsoleTestWebhookSender } from './test-webhook.sender';
import { TokenMetricsSampler } from './token-metrics.sampler';

/**
 * The operator console: a page at `/console` (sign-in with the admin token or your guard) showing the rooms
 * live with moderation actions, the recent webhook deliveries with "send test event", durable mode's dead
 * letters, and token issuance. Off unless registered; register it once, in the root module (it is global,
 * so that the webhook module reports its deliveries to it). Needs {@link LiveKitModule} registered.
 */
@Module({
  imports: [LiveKitRoomModule.forRoot(), LiveKitWebhookHandlersModule],
  providers: [
    {
      provide: ResolvedConsoleOptions,
      useFactory: (options: LiveKitConsoleModuleOptions, guard: Type<CanActivate> | null) =>
        new ResolvedConsoleOptions(options, guard !== null),
      inject: [LIVEKIT_CONSOLE_MODULE_OPTIONS, CONSOLE_HOST_GUARD],
    },
    LiveKitConsoleDeliveryLog,
    { provide: LIVEKIT_WEBHOOK_DELIVERY_OBSERVER, useExisting: LiveKitConsoleDeliveryLog },
    ConsoleSessionStore,
    ConsoleSessionGuard,
    ConsoleSignIn,
    ConsoleTestWebhookSender,
    TokenMetricsSampler,
    PollingConsoleRoomSource,
    ConsoleRoomSourceSelector,
    { provide: ConsoleRoomSource, useExisting: ConsoleRoomSourceSelector },
  ],
  exports: [LIVEKIT_WEBHOOK_DELIVERY_OBSERVER, LiveKitConsoleDeliveryLog],
})
export class LiveKitConsoleModule extends LiveKitConsoleConfigurableModule {
  static override forRoot(options: typeof LIVEKIT_CONSOLE_OPTIONS_TYPE): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof LIVEKIT_CONSOLE_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
