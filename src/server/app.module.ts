import { Module } from '@nestjs/common';
import { ConditionalModule, ConfigModule } from '@nestjs/config';
import { adminApiConfig, isAdminApiRequested } from './config/admin-api.config';
import { consoleConfig, isConsoleRequested } from './config/console.config';
import { livekitConfig } from './config/livekit.config';
import { isRoomStateRequested, roomStateConfig } from './config/room-state.config';
import { tokenRateLimitConfig } from './config/token-rate-limit.config';
import { webhookQueueConfig } from './config/webhook-queue.config';
import { LiveKitConsoleModule } from '../console';
import { LiveKitHealthModule } from '../health';
import { LiveKitAgentDispatchModule, LiveKitModule, LiveKitRoomModule, LiveKitTokenModule, LiveKitWebhookModule } from '../index';
import { LiveKitMetricsModule } from '../metrics';
import { LiveKitWebhookQueueModule } from '../queue';
import { LiveKitTokenRateLimitModule } from '../rate-limit';
import { LiveKitRoomStateModule } from '../room-state';
import { EventLogModule } from './event-log.module';

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
    // Room state (/rooms-state, its SSE stream) only with ROOM_STATE_ENABLED, behind the admin token.
    ConditionalModule.registerWhen(
      LiveKitRoomStateModule.forRootAsync({ routes: true, ...roomStateConfig.asProvider() }),
      isRoomStateRequested,
      { debug: false },
    ),
    ConditionalModule.registerWhen(
      LiveKitAgentDispatchModule.forRootAsync({ routes: true, ...adminApiConfig.asProvider() }),
      isAdminApiRequested,
      { debug: false },
    ),
    // The operator console at /console only with CONSOLE_ENABLED (sign-in with ADMIN_API_TOKEN).
    ConditionalModule.registerWhen(LiveKitConsoleModule.forRootAsync(consoleConfig.asProvider()), isConsoleRequested, { debug: false }),
    EventLogModule,
    // Operations: /metrics, /health/live and /health/ready, token rate limit (TOKEN_RATE_LIMIT). JSON logs: createStandaloneApp.
    LiveKitMetricsModule.forRoot(),
    LiveKitHealthModule.forRoot(),
    LiveKitTokenRateLimitModule.forRootAsync(tokenRateLimitConfig.asProvider()),
  ],
})
export class AppModule {}
