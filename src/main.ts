import { ConsoleLogger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { loadServerSettings } from './config/server.config';
import { createStandaloneApp } from './standalone/create-standalone-app';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const logger = new ConsoleLogger({ json: true, colors: false });
  try {
    const settings = loadServerSettings(process.env);
    const app = await createStandaloneApp(settings, logger);
    await app.listen(settings.port, settings.host);
    logger.log(`LiveKit application server listening on ${settings.host}:${settings.port} (${settings.httpAdapter})`, 'Bootstrap');
  } catch (error) {
    logger.error(`boot failed: ${(error as Error).message}`, undefined, 'Bootstrap');
    process.exitCode = 1;
  }
}

void bootstrap();
