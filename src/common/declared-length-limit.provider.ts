import type { FactoryProvider, OnModuleInit, Type } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { limitDeclaredLength } from './declared-length-limit';
import { servedRoutes } from './route-paths';

/**
 * Provider that, at init (routes registered, the host's global prefix set), puts
 * {@link limitDeclaredLength} in front of the routes of `controllers`, with the limit read from the options.
 */
export function declaredLengthLimitProvider(
  controllers: readonly Type[],
  subject: string,
  limitOf: (livekit: ResolvedLiveKitOptions) => number,
): FactoryProvider<OnModuleInit> {
  return {
    provide: Symbol(`livekit:declared-length-limit:${subject}`),
    inject: [HttpAdapterHost, ApplicationConfig, ModulesContainer, ResolvedLiveKitOptions],
    useFactory: (adapterHost: HttpAdapterHost, config: ApplicationConfig, modules: ModulesContainer, livekit: ResolvedLiveKitOptions) => ({
      onModuleInit: () =>
        limitDeclaredLength(adapterHost.httpAdapter, {
          routes: servedRoutes(controllers, config, modules),
          limit: limitOf(livekit),
          subject,
        }),
    }),
  };
}
