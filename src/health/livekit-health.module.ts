import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { LiveKitHealthModuleOptions } from './interfaces/livekit-health-module-options.interface';
import { createLiveKitHealthController } from './health.controller';
import { DEFAULT_HEALTH_PATH } from './livekit-health.constants';
import { LIVEKIT_HEALTH_MODULE_OPTIONS } from './livekit-health.internal-constants';
import { LiveKitServerHealthIndicator } from './livekit-server.health';
import { WebhookQueueHealthIndicator } from './webhook-queue.health';

/**
 * `GET /health/live` (liveness: the process answers) and `GET /health/ready` (readiness: the LiveKit
 * server accepts our credentials when `LiveKitModule` has a `url`, and Redis answers in queue mode), with
 * `@nestjs/terminus`. Needs {@link LiveKitModule} registered.
 */
@Module({})
export class LiveKitHealthModule {
  static forRoot(options: LiveKitHealthModuleOptions = {}): DynamicModule {
    return {
      module: LiveKitHealthModule,
      // Terminus would log every failed probe; the controller logs readiness changes instead.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [createLiveKitHealthController(options.path ?? DEFAULT_HEALTH_PATH, options.decorators ?? [])],
      providers: [{ provide: LIVEKIT_HEALTH_MODULE_OPTIONS, useValue: options }, LiveKitServerHealthIndicator, WebhookQueueHealthIndicator],
    };
  }
}
