import { type DynamicModule, Module } from '@nestjs/common';
import {
  LIVEKIT_PARTICIPANTS_ASYNC_OPTIONS_TYPE,
  LIVEKIT_PARTICIPANTS_OPTIONS_TYPE,
  LiveKitParticipantsConfigurableModule,
} from './livekit-participants.module-definition';
import { LiveKitParticipantsService } from './livekit-participants.service';

/**
 * Server-side participants on `@livekit/rtc-node` (an optional peer): exports {@link LiveKitParticipantsService}.
 * Needs {@link LiveKitModule} registered (it is global by default); serves no routes.
 */
@Module({
  providers: [LiveKitParticipantsService],
  exports: [LiveKitParticipantsService],
})
export class LiveKitParticipantsModule extends LiveKitParticipantsConfigurableModule {
  /** `forRoot()` alone gives at most 10 connections to LiveKitModule's `url`. */
  static override forRoot(options: typeof LIVEKIT_PARTICIPANTS_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof LIVEKIT_PARTICIPANTS_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
