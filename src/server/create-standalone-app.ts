import type { INestApplication, LoggerService } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage, Server } from 'node:http';
import type { DestinationStream } from 'pino';
import { LiveKitErrorResponseFilter, liveKitTokenRouteMatcher } from '../index';
import { AppModule } from './app.module';
import type { ServerSettings } from './config/server.config';
import { createJsonLoggers } from './logging/json-logger';
import { StandaloneLoggingModule } from './logging/standalone-logging.module';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { logRequests } from './logging/request-log';
import { resolveRequestId } from './logging/request-id';
import { standaloneCorsOptions } from './cors-options';
import { expressJsonBody } from './express-json-body.middleware';
import { setupOpenApi } from './openapi.setup';
import { applyHttpServerLimits } from './http-server-limits';

/** Paths of probes and scrapes: their successful requests are not logged. */
export const QUIET_LOG_PATHS = ['/health/', '/metrics'];

/**
 * Builds the standalone server as `main.ts` runs it (adapter, body parsing, CORS, error format, proxy
 * trust, OpenAPI, JSON logs), without listening, so that tests run exactly this configuration. Nest's
 * log lines go to the JSON logger unless `logger` is given (`false`: off); request lines follow LOG_LEVEL.
 * Both write to `destination` (stdout by default).
 */
export async function createStandaloneApp(
  settings: ServerSettings,
  logger?: LoggerService | false,
  destination?: DestinationStream,
): Promise<INestApplication> {
  const json = createJsonLoggers(settings.logLevel, destination);
  const options = { rawBody: true, logger: logger ?? new PinoNestLogger(json.main), abortOnError: false };
  // Lines logged while the app shuts down are written at once: the process may die of the signal right after.
  const root = StandaloneLoggingModule.around(AppModule, json);
  let app: INestApplication;
  if (settings.httpAdapter === 'fastify') {
    // Required here, not imported: an Express server never loads Fastify (about 500 modules of boot).
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    // Fastify's JSON parser takes its limit from the instance; `useBodyParser` would replace the parser.
    // Its own request id is the one the request log gave the request (same resolver, honours X-Request-Id).
    const adapter = new FastifyAdapter({
      bodyLimit: settings.jsonBodyLimit,
      trustProxy: settings.trustProxy,
      genReqId: (req: IncomingMessage & { id?: string }) => req.id ?? resolveRequestId(req),
      requestIdHeader: false,
    });
    app = await NestFactory.create<NestFastifyApplication>(root, adapter, options);
  } else {
    // Only a JSON parser: both contracts are JSON, and Nest's default urlencoded parser would run on every request.
    // Ours rather than body-parser's, which reads the rest of a body over the limit before answering 413.
    const express = await NestFactory.create<NestExpressApplication>(root, { ...options, bodyParser: false });
    express.use(expressJsonBody(settings.jsonBodyLimit));
    express.disable('x-powered-by');
    // No ETag: every answer is a fresh token or an acknowledgement, and hashing each body costs throughput.
    express.disable('etag');
    express.set('trust proxy', settings.trustProxy);
    app = express;
  }
  const server = app.getHttpServer() as Server;
  applyHttpServerLimits(server, settings.httpLimits);
  logRequests(server, json.fixedFields, { quietPaths: QUIET_LOG_PATHS });
  // Before the OpenAPI routes: on Express, a route registered earlier would answer without the CORS middleware.
  app.enableCors(standaloneCorsOptions(settings, liveKitTokenRouteMatcher(app)));
  if (settings.openApi) setupOpenApi(app);
  app.useGlobalFilters(new LiveKitErrorResponseFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  return app;
}
