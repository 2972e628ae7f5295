import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LiveKitTokenRateLimitModuleOptions } from './interfaces/livekit-token-rate-limit-module-options.interface';
import { LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS } from './livekit-token-rate-limit.constants';

export const {
  ConfigurableModuleClass: LiveKitTokenRateLimitConfigurableModule,
  OPTIONS_TYPE: LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LIVEKIT_TOKEN_RATE_LIMIT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LiveKitTokenRateLimitModuleOptions>({ optionsInjectionToken: LIVEKIT_TOKEN_RATE_LIMIT_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLiveKitTokenRateLimitOptions')
  // Global by default so that LiveKitTokenModule finds the limiter wherever each is imported.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
