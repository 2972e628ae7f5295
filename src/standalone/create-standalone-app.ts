import type { INestApplication, LoggerService } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import type { ServerSettings } from '../config/server.config';
import { resolveRequestId } from '../logging/request-id';
import { setupOpenApi } from '../openapi/openapi.setup';

/**
 * Builds the standalone server as `main.ts` runs it (adapter, body parsing, CORS, error format, proxy
 * trust, OpenAPI), without listening, so that tests run exactly this configuration. Logs go to the JSON
 * logger (nestjs-pino) unless `logger` is given (`false`: Nest's own log lines off).
 */
export async function createStandaloneApp(settings: ServerSettings, logger?: LoggerService | false): Promise<INestApplication> {
  const pino = logger === undefined;
  const options = { rawBody: true, logger: pino ? undefined : logger, bufferLogs: pino, abortOnError: false };
  let app: INestApplication;
  if (settings.httpAdapter === 'fastify') {
    // Fastify's JSON parser takes its limit from the instance; `useBodyParser` would replace the parser.
    // Fastify ids its requests itself: give it the resolver the JSON log uses on Express (honours X-Request-Id).
    const adapter = new FastifyAdapter({
      bodyLimit: settings.jsonBodyLimit,
      trustProxy: settings.trustProxy,
      genReqId: resolveRequestId,
      requestIdHeader: false,
    });
    app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, options);
  } else {
    const express = await NestFactory.create<NestExpressApplication>(AppModule, options);
    express.useBodyParser('json', { limit: settings.jsonBodyLimit });
    express.disable('x-powered-by');
    express.set('trust proxy', settings.trustProxy);
    app = express;
  }
  if (pino) app.useLogger(app.get(PinoNestLogger));
  if (settings.openApi) setupOpenApi(app);
  app.enableCors({ origin: settings.corsOrigins });
  app.useGlobalFilters(new LiveKitErrorResponseFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  return app;
}
