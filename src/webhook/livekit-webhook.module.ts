import { type DynamicModule, Module } from '@nestjs/common';
import { declaredLengthLimitProvider } from '../common/declared-length-limit.provider';
import { EARLY_WEBHOOK_REFUSAL_LOG } from './early-refusal.log';
import { FastifyWebhookParserRegistrar } from './fastify-webhook-parser';
import { InlineLiveKitWebhookIntake } from './inline-webhook-intake';
import type { LiveKitWebhookModuleOptions } from './interfaces/livekit-webhook-module-options.interface';
import { DEFAULT_WEBHOOK_PATHS } from './livekit-webhook.constants';
import { LiveKitWebhookGuard } from './livekit-webhook.guard';
import { LiveKitWebhookHandlersModule } from './livekit-webhook-handlers.module';
import { LiveKitWebhookIntake } from './livekit-webhook-intake';
import { createLiveKitWebhookController } from './webhook.controller';
import { LiveKitWebhookDispatcher } from './webhook-dispatcher.service';
import { LIVEKIT_WEBHOOK_INTAKE_OVERRIDE } from './webhook-intake.token';
import { WebhookRefusalLog } from './webhook-refusal.log';
import { LiveKitWebhookVerifier } from './webhook-verifier.service';

// The refusal log too, so that a guard a host instantiates in its own module shares the rate limit.
const EXPORTS = [LiveKitWebhookGuard, LiveKitWebhookVerifier, WebhookRefusalLog, LiveKitWebhookDispatcher, LiveKitWebhookIntake];

/**
 * Receives LiveKit webhooks: verifies them (`LiveKitWebhookGuard`) and hands them to the intake:
 * by default the host's `@OnLiveKitEvent` handlers run before the acknowledgement (`LiveKitWebhookDispatcher`);
 * with `LiveKitWebhookQueueModule` registered, events go to a durable Redis queue instead.
 * Needs {@link LiveKitModule} registered.
 */
@Module({})
export class LiveKitWebhookModule {
  static forRoot(options: LiveKitWebhookModuleOptions = {}): DynamicModule {
    const paths = typeof options.path === 'string' ? [options.path] : (options.path ?? DEFAULT_WEBHOOK_PATHS);
    const controllers = options.routes === false ? [] : [createLiveKitWebhookController(paths, options.decorators ?? [])];
    return {
      module: LiveKitWebhookModule,
      imports: [LiveKitWebhookHandlersModule],
      controllers,
      providers: [
        declaredLengthLimitProvider(controllers, 'webhook body', (livekit) => livekit.webhookBodyLimit, EARLY_WEBHOOK_REFUSAL_LOG),
        LiveKitWebhookGuard,
        LiveKitWebhookVerifier,
        WebhookRefusalLog,
        LiveKitWebhookDispatcher,
        FastifyWebhookParserRegistrar,
        {
          provide: LiveKitWebhookIntake,
          useFactory: (dispatcher: LiveKitWebhookDispatcher, override?: LiveKitWebhookIntake) =>
            override ?? new InlineLiveKitWebhookIntake(dispatcher),
          inject: [LiveKitWebhookDispatcher, { token: LIVEKIT_WEBHOOK_INTAKE_OVERRIDE, optional: true }],
        },
      ],
      exports: EXPORTS,
    };
  }
}
