import type { INestApplication, LoggerService } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import type { ServerSettings } from '../config/server.config';

/**
 * Builds the standalone server as `main.ts` runs it (adapter, body parsing, CORS, error format),
 * without listening, so that tests run exactly this configuration.
 */
export async function createStandaloneApp(settings: ServerSettings, logger?: LoggerService | false): Promise<INestApplication> {
  const options = { rawBody: true, logger, abortOnError: false };
  let app: INestApplication;
  if (settings.httpAdapter === 'fastify') {
    // Fastify's JSON parser takes its limit from the instance; `useBodyParser` would replace the parser.
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter({ bodyLimit: settings.jsonBodyLimit }), options);
  } else {
    const express = await NestFactory.create<NestExpressApplication>(AppModule, options);
    express.useBodyParser('json', { limit: settings.jsonBodyLimit });
    express.disable('x-powered-by');
    app = express;
  }
  app.enableCors({ origin: settings.corsOrigins });
  app.useGlobalFilters(new LiveKitErrorResponseFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  return app;
}
