import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { livekitConfig } from './config/livekit.config';
import { LiveKitModule } from './livekit/livekit.module';
import { EventLogModule } from './standalone/event-log.module';
import { LiveKitTokenModule } from './token/livekit-token.module';
import { LiveKitWebhookModule } from './webhook/livekit-webhook.module';

/** The standalone server: both contracts, webhooks logged. */
@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    LiveKitModule.forRootAsync(livekitConfig.asProvider()),
    LiveKitTokenModule.forRoot(),
    LiveKitWebhookModule.forRoot(),
    EventLogModule,
  ],
})
export class AppModule {}
