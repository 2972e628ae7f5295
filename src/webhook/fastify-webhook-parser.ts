import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

interface FastifyLike {
  hasContentTypeParser(type: string): boolean;
  addContentTypeParser(
    type: string,
    parser: (req: unknown, payload: unknown, done: (err: Error | null, body?: undefined) => void) => void,
  ): void;
}

const WEBHOOK_CONTENT_TYPE = 'application/webhook+json';

/**
 * Fastify answers 415 to content types it has no parser for. On Fastify, this registers one for
 * `application/webhook+json` (unless the host registered its own) that leaves the body unread: the guard
 * reads the exact bytes itself, within `webhookBodyLimit`, once the token is verified. A body over the
 * limit is then refused by the guard (413 `{errorMessage}`, and a log line), as on Express, instead of
 * by Fastify before any of our code runs.
 */
@Injectable()
export class FastifyWebhookParserRegistrar implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<FastifyLike>();
    if (fastify.hasContentTypeParser(WEBHOOK_CONTENT_TYPE)) return;
    fastify.addContentTypeParser(WEBHOOK_CONTENT_TYPE, (_req, _payload, done) => done(null));
  }
}
