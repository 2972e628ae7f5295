import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LiveKitModuleOptions } from './interfaces/livekit-module-options.interface';
import { LIVEKIT_MODULE_OPTIONS } from './livekit.constants';

export const {
  ConfigurableModuleClass: LiveKitConfigurableModule,
  OPTIONS_TYPE: LIVEKIT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LIVEKIT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LiveKitModuleOptions>({ optionsInjectionToken: LIVEKIT_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLiveKitOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
