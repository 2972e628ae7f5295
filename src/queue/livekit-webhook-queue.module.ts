import { Global, Module } from '@nestjs/common';
import { LiveKitWebhookHandlersModule } from '../webhook/livekit-webhook-handlers.module';
import { LIVEKIT_WEBHOOK_INTAKE_OVERRIDE } from '../webhook/webhook-intake.token';
import type { LiveKitWebhookQueueModuleOptions } from './interfaces/livekit-webhook-queue-module-options.interface';
import { LiveKitWebhookDeadLetters } from './livekit-webhook-dead-letters.service';
import { LIVEKIT_WEBHOOK_QUEUE_OPTIONS } from './livekit-webhook-queue.constants';
import { LiveKitWebhookQueueConfigurableModule } from './livekit-webhook-queue.module-definition';
import { LiveKitWebhookQueue } from './livekit-webhook-queue.service';
import { LiveKitWebhookQueueWorker } from './livekit-webhook-queue.worker';
import { QueueLiveKitWebhookIntake } from './queue-webhook-intake';
import { RedisOutageLog } from './redis-outage.log';
import { ResolvedWebhookQueueOptions } from './resolved-webhook-queue-options';

/**
 * Durable webhook mode: register it next to `LiveKitWebhookModule` (`forRoot` or `forRootAsync`) and
 * verified events are acknowledged once Redis holds them, then run by workers in every instance.
 * With `enabled: false` it does nothing and the webhook stays inline. Global, so that the webhook
 * route finds the queue intake; provides `LiveKitWebhookQueue` (health, metrics) and
 * `LiveKitWebhookDeadLetters`.
 */
@Global()
@Module({
  imports: [LiveKitWebhookHandlersModule],
  providers: [
    {
      provide: ResolvedWebhookQueueOptions,
      useFactory: (options: LiveKitWebhookQueueModuleOptions) => new ResolvedWebhookQueueOptions(options),
      inject: [LIVEKIT_WEBHOOK_QUEUE_OPTIONS],
    },
    RedisOutageLog,
    LiveKitWebhookQueue,
    LiveKitWebhookQueueWorker,
    LiveKitWebhookDeadLetters,
    {
      provide: LIVEKIT_WEBHOOK_INTAKE_OVERRIDE,
      useFactory: (queue: LiveKitWebhookQueue) => (queue.enabled ? new QueueLiveKitWebhookIntake(queue) : undefined),
      inject: [LiveKitWebhookQueue],
    },
  ],
  exports: [LiveKitWebhookQueue, LiveKitWebhookDeadLetters, LIVEKIT_WEBHOOK_INTAKE_OVERRIDE, ResolvedWebhookQueueOptions],
})
export class LiveKitWebhookQueueModule extends LiveKitWebhookQueueConfigurableModule {}
