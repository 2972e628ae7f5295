import { Delete, Get, HttpCode, HttpStatus, NotFoundException, type OnModuleInit, Param, Post, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type LiveKitWebhookDeadLetter, LiveKitWebhookDeadLetters } from '../queue/livekit-webhook-dead-letters.service';
import { LiveKitWebhookDeadLetterNotFoundError } from '../queue/livekit-webhook-queue.errors';
import { LiveKitWebhookQueue } from '../queue/livekit-webhook-queue.service';
import { ConsoleApiController, type ConsoleRouteOptions } from './console-route';
import { parseConsoleName } from './console-params';

const LISTED = 50;
const BODY_SHOWN = 2000;

/** What the Durable page shows. */
export interface ConsoleQueueView {
  enabled: boolean;
  depth?: number;
  deadLetterCount?: number;
  deadLetters: (Omit<LiveKitWebhookDeadLetter, 'receivedAt' | 'failedAt'> & { receivedAt: string; failedAt?: string })[];
}

/**
 * `/<path>/api/queue`: durable mode's queue depth and dead letters, replay and discard. Reads
 * `LiveKitWebhookQueue` and `LiveKitWebhookDeadLetters` from the app when `LiveKitWebhookQueueModule` is
 * registered and enabled; otherwise it says durable mode is off.
 */
export function createConsoleQueueController(options: ConsoleRouteOptions): Type<unknown> {
  @ConsoleApiController(options, 'queue')
  class LiveKitConsoleQueueController implements OnModuleInit {
    private queue: LiveKitWebhookQueue | undefined;
    private deadLetters: LiveKitWebhookDeadLetters | undefined;

    constructor(private readonly moduleRef: ModuleRef) {}

    onModuleInit(): void {
      this.queue = optional(() => this.moduleRef.get(LiveKitWebhookQueue, { strict: false }));
      this.deadLetters = optional(() => this.moduleRef.get(LiveKitWebhookDeadLetters, { strict: false }));
    }

    @Get()
    async view(): Promise<ConsoleQueueView> {
      const { queue, deadLetters } = this.enabled();
      if (!queue || !deadLetters) return { enabled: false, deadLetters: [] };
      const [depth, deadLetterCount, letters] = await Promise.all([
        queue.queueDepth(),
        deadLetters.count(),
        deadLetters.list({ limit: LISTED }),
      ]);
      return {
        enabled: true,
        depth,
        deadLetterCount,
        deadLetters: letters.map((letter) => ({
          ...letter,
          body: letter.body.length > BODY_SHOWN ? `${letter.body.slice(0, BODY_SHOWN)}…` : letter.body,
          receivedAt: letter.receivedAt.toISOString(),
          failedAt: letter.failedAt?.toISOString(),
        })),
      };
    }

    @Post('dead-letters/:eventId/replay')
    @HttpCode(HttpStatus.OK)
    async replay(@Param('eventId') eventId: string): Promise<{ replayed: string }> {
      const id = parseConsoleName('eventId', eventId);
      await this.notFoundAs404(() => this.required().replay(id));
      return { replayed: id };
    }

    @Delete('dead-letters/:eventId')
    @HttpCode(HttpStatus.OK)
    async discard(@Param('eventId') eventId: string): Promise<{ discarded: string }> {
      const id = parseConsoleName('eventId', eventId);
      await this.notFoundAs404(() => this.required().discard(id));
      return { discarded: id };
    }

    private enabled(): { queue?: LiveKitWebhookQueue; deadLetters?: LiveKitWebhookDeadLetters } {
      return this.queue?.enabled ? { queue: this.queue, deadLetters: this.deadLetters } : {};
    }

    private required(): LiveKitWebhookDeadLetters {
      const { deadLetters } = this.enabled();
      if (!deadLetters) throw new NotFoundException('durable mode is off: there are no dead letters');
      return deadLetters;
    }

    private async notFoundAs404(run: () => Promise<void>): Promise<void> {
      try {
        await run();
      } catch (error) {
        if (error instanceof LiveKitWebhookDeadLetterNotFoundError) throw new NotFoundException(error.message);
        throw error;
      }
    }
  }
  return LiveKitConsoleQueueController;
}

function optional<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
