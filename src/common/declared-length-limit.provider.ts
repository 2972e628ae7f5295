import type { FactoryProvider, InjectionToken, OnModuleInit, Type } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { type BodyLimit, limitDeclaredLength } from './declared-length-limit';
import { servedRoutes } from './route-paths';

/** Who hears of the requests refused early, built from providers of the module. */
export interface DeclaredLengthRefusalHook {
  inject: InjectionToken[];
  /** Receives the providers named by `inject`, in that order. */
  create: (dependencies: readonly unknown[]) => NonNullable<BodyLimit['onRefused']>;
}

/**
 * Provider that, at init (routes registered, the host's global prefix set), puts
 * {@link limitDeclaredLength} in front of the routes of `controllers`, with the limit read from the options.
 */
export function declaredLengthLimitProvider(
  controllers: readonly Type[],
  subject: string,
  limitOf: (livekit: ResolvedLiveKitOptions) => number,
  refusalHook?: DeclaredLengthRefusalHook,
): FactoryProvider<OnModuleInit> {
  return {
    provide: Symbol(`livekit:declared-length-limit:${subject}`),
    inject: [HttpAdapterHost, ApplicationConfig, ModulesContainer, ResolvedLiveKitOptions, ...(refusalHook?.inject ?? [])],
    useFactory: (
      adapterHost: HttpAdapterHost,
      config: ApplicationConfig,
      modules: ModulesContainer,
      livekit: ResolvedLiveKitOptions,
      ...dependencies: unknown[]
    ) => ({
      onModuleInit: () =>
        limitDeclaredLength(adapterHost.httpAdapter, {
          routes: servedRoutes(controllers, config, modules),
          limit: limitOf(livekit),
          subject,
          onRefused: refusalHook?.create(dependencies),
        }),
    }),
  };
}
