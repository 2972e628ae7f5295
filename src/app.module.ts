import { Module } from '@nestjs/common';
import { ConditionalModule, ConfigModule } from '@nestjs/config';
import { adminApiConfig, isAdminApiRequested } from './config/admin-api.config';
import { livekitConfig } from './config/livekit.config';
import { tokenRateLimitConfig } from './config/token-rate-limit.config';
import { webhookQueueConfig } from './config/webhook-queue.config';
import { LiveKitHealthModule } from './health/livekit-health.module';
import { LiveKitModule } from './livekit/livekit.module';
import { LiveKitMetricsModule } from './metrics/livekit-metrics.module';
import { LiveKitWebhookQueueModule } from './queue/livekit-webhook-queue.module';
import { LiveKitTokenRateLimitModule } from './rate-limit/livekit-token-rate-limit.module';
import { LiveKitRoomModule } from './room/livekit-room.module';
import { EventLogModule } from './standalone/event-log.module';
import { LiveKitTokenModule } from './token/livekit-token.module';
import { LiveKitWebhookModule } from './webhook/livekit-webhook.module';

/** The standalone server: both contracts, webhooks logged (inline, or durable on Redis with WEBHOOK_MODE=queue). */
@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    LiveKitModule.forRootAsync(livekitConfig.asProvider()),
    LiveKitTokenModule.forRoot(),
    LiveKitWebhookModule.forRoot(),
    LiveKitWebhookQueueModule.forRootAsync(webhookQueueConfig.asProvider()),
    // Admin endpoints only with ADMIN_API_ENABLED; their routes are decided once, when the process starts.
    ConditionalModule.registerWhen(LiveKitRoomModule.forRootAsync({ routes: true, ...adminApiConfig.asProvider() }), isAdminApiRequested, {
      debug: false,
    }),
    EventLogModule,
    // Operations: /metrics, /health/live and /health/ready, token rate limit (TOKEN_RATE_LIMIT). JSON logs: createStandaloneApp.
    LiveKitMetricsModule.forRoot(),
    LiveKitHealthModule.forRoot(),
    LiveKitTokenRateLimitModule.forRootAsync(tokenRateLimitConfig.asProvider()),
  ],
})
export class AppModule {}
