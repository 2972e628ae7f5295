import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';

interface FastifyLike {
  hasContentTypeParser(type: string): boolean;
  addContentTypeParser(
    type: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (req: unknown, body: Buffer, done: (err: Error | null, body?: Buffer) => void) => void,
  ): void;
}

const WEBHOOK_CONTENT_TYPE = 'application/webhook+json';

/**
 * Fastify answers 415 to content types it has no parser for. On Fastify, this registers one for
 * `application/webhook+json` that keeps the exact bytes, unless the host registered its own.
 */
@Injectable()
export class FastifyWebhookParserRegistrar implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly livekit: ResolvedLiveKitOptions,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<FastifyLike>();
    if (fastify.hasContentTypeParser(WEBHOOK_CONTENT_TYPE)) return;
    fastify.addContentTypeParser(
      WEBHOOK_CONTENT_TYPE,
      { parseAs: 'buffer', bodyLimit: this.livekit.webhookBodyLimit },
      (_req, body, done) => done(null, body),
    );
  }
}
