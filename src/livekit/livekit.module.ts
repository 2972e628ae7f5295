import { Module } from '@nestjs/common';
import type { LiveKitModuleOptions } from './interfaces/livekit-module-options.interface';
import { LIVEKIT_MODULE_OPTIONS } from './livekit.constants';
import { LiveKitConfigurableModule } from './livekit.module-definition';
import { ResolvedLiveKitOptions } from './resolved-livekit-options';

/**
 * Holds the LiveKit credentials and limits. Register it once (`forRoot` or `forRootAsync`);
 * it is global by default so that the token and webhook modules find it.
 */
@Module({
  providers: [
    {
      provide: ResolvedLiveKitOptions,
      useFactory: (options: LiveKitModuleOptions) => new ResolvedLiveKitOptions(options),
      inject: [LIVEKIT_MODULE_OPTIONS],
    },
  ],
  exports: [ResolvedLiveKitOptions, LIVEKIT_MODULE_OPTIONS],
})
export class LiveKitModule extends LiveKitConfigurableModule {}
