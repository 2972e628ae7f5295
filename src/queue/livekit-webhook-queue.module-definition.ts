import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LiveKitWebhookQueueModuleOptions } from './interfaces/livekit-webhook-queue-module-options.interface';
import { LIVEKIT_WEBHOOK_QUEUE_OPTIONS } from './livekit-webhook-queue.constants';

export const {
  ConfigurableModuleClass: LiveKitWebhookQueueConfigurableModule,
  OPTIONS_TYPE: LIVEKIT_WEBHOOK_QUEUE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LIVEKIT_WEBHOOK_QUEUE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LiveKitWebhookQueueModuleOptions>({ optionsInjectionToken: LIVEKIT_WEBHOOK_QUEUE_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLiveKitWebhookQueueOptions')
  .build();
