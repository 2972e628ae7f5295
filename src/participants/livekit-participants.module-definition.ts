import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LiveKitParticipantsModuleOptions } from './interfaces/livekit-participants-module-options.interface';
import { LIVEKIT_PARTICIPANTS_MODULE_OPTIONS } from './livekit-participants.constants';

export const {
  ConfigurableModuleClass: LiveKitParticipantsConfigurableModule,
  OPTIONS_TYPE: LIVEKIT_PARTICIPANTS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LIVEKIT_PARTICIPANTS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LiveKitParticipantsModuleOptions>({ optionsInjectionToken: LIVEKIT_PARTICIPANTS_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLiveKitParticipantsOptions')
  .build();
