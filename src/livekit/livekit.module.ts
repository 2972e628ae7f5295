import { Module } from '@nestjs/common';
import type { LiveKitModuleOptions } from './interfaces/livekit-module-options.interface';
import { LIVEKIT_MODULE_OPTIONS, LIVEKIT_TELEMETRY } from './livekit.constants';
import { LiveKitTelemetry } from './livekit-telemetry';
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
    {
      // No-op unless a global module provides LIVEKIT_TELEMETRY (LiveKitMetricsModule does).
      provide: LiveKitTelemetry,
      useFactory: (custom?: LiveKitTelemetry | null) => custom ?? new LiveKitTelemetry(),
      inject: [{ token: LIVEKIT_TELEMETRY, optional: true }],
    },
  ],
  exports: [ResolvedLiveKitOptions, LIVEKIT_MODULE_OPTIONS, LiveKitTelemetry],
})
export class LiveKitModule extends LiveKitConfigurableModule {}
