import { Logger } from '@nestjs/common';
import pino from 'pino';
import { loadProcessEnv } from './config/process-env';
import { loadServerSettings } from './config/server.config';
import { basePinoOptions } from './logging/pino-options';
import { createStandaloneApp } from './create-standalone-app';

async function bootstrap(): Promise<void> {
  const env = loadProcessEnv();
  // Logs what happens before the app's own JSON logger exists (a bad variable stops the boot here).
  const bootLogger = pino(basePinoOptions('info')).child({ context: 'Bootstrap' });
  try {
    const settings = loadServerSettings(env);
    bootLogger.level = settings.logLevel;
    const app = await createStandaloneApp(settings);
    await app.listen(settings.port, settings.host);
    new Logger('Bootstrap').log(`LiveKit application server listening on ${settings.host}:${settings.port} (${settings.httpAdapter})`);
  } catch (error) {
    bootLogger.error(`boot failed: ${(error as Error).message}`);
    process.exitCode = 1;
    // A connection opened by a provider built before the failure (a Redis client…) would keep the process alive.
    setTimeout(() => process.exit(1), 1000).unref();
  }
}

void bootstrap();
