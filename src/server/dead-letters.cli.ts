import { ConsoleLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LiveKitWebhookDeadLetters, LiveKitWebhookQueueModule } from '../queue';
import { loadProcessEnv } from './config/process-env';
import { loadWebhookQueueOptions } from './config/webhook-queue.config';
import { runDeadLettersCommand } from './dead-letters.command';

/**
 * `npm run dead-letters -- <command>`: inspects and replays the standalone server's dead letters,
 * with the same environment (.env, WEBHOOK_MODE=queue, REDIS_URL, WEBHOOK_QUEUE_*). Runs no worker.
 */
async function main(): Promise<void> {
  const logger = new ConsoleLogger({ json: true, colors: false, logLevels: ['error', 'warn'] });
  const options = loadWebhookQueueOptions(loadProcessEnv());
  if (!options.enabled) {
    logger.error('dead letters exist in queue mode only: set WEBHOOK_MODE=queue and REDIS_URL as for the server');
    process.exitCode = 2;
    return;
  }
  @Module({ imports: [LiveKitWebhookQueueModule.forRoot({ ...options, workers: false })] })
  class DeadLettersCliModule {}
  const app = await NestFactory.createApplicationContext(DeadLettersCliModule, { logger, abortOnError: false });
  try {
    process.exitCode = await runDeadLettersCommand(
      process.argv.slice(2),
      app.get(LiveKitWebhookDeadLetters),
      (line) => process.stdout.write(`${line}\n`),
      (line) => process.stderr.write(`${line}\n`),
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`dead-letters: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
