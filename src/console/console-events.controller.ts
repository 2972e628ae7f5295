import { Get, Inject, type MessageEvent, Req, Sse, type Type } from '@nestjs/common';
import { filter, map, merge, type Observable, takeUntil, timer } from 'rxjs';
import { ConsoleSessionStore } from './console-session.store';
import { LiveKitConsoleDeliveryLog } from './console-delivery.log';
import { CONSOLE_SESSION_KEY, type SessionRequest } from './console-session.guard';
import { ConsoleApiController, type ConsoleRouteOptions } from './console-route';
import { ConsoleRoomSource } from './console-room.source';

/**
 * `GET /<path>/api/events`: the console's live updates as Server-Sent Events: `delivery` (a webhook delivery,
 * new or changed) and `rooms` (the room list, each time it changes, starting with the current one). The
 * stream ends when the session expires or signs out. `GET /<path>/api/events/ping` lets the page check its session.
 */
export function createConsoleEventsController(options: ConsoleRouteOptions): Type<unknown> {
  @ConsoleApiController(options, 'events')
  class LiveKitConsoleEventsController {
    constructor(
      private readonly deliveries: LiveKitConsoleDeliveryLog,
      private readonly sessions: ConsoleSessionStore,
      @Inject(ConsoleRoomSource) private readonly rooms: ConsoleRoomSource,
    ) {}

    @Sse()
    events(@Req() req: SessionRequest): Observable<MessageEvent> {
      const session = req[CONSOLE_SESSION_KEY]!;
      const deliveries = this.deliveries.changes.pipe(map((delivery): MessageEvent => ({ type: 'delivery', data: delivery })));
      const rooms = this.rooms
        .changes()
        .pipe(map((list): MessageEvent => ({ type: 'rooms', data: { backing: this.rooms.backing, rooms: list } })));
      const hello = timer(0).pipe(
        map((): MessageEvent => ({ type: 'hello', data: { expiresAt: new Date(session.expiresAt).toISOString() } })),
      );
      const ended = merge(timer(Math.max(0, session.expiresAt - Date.now())), this.sessions.ended.pipe(filter((s) => s === session)));
      return merge(hello, deliveries, rooms).pipe(takeUntil(ended));
    }

    @Get('ping')
    ping(): { ok: true } {
      return { ok: true };
    }
  }
  return LiveKitConsoleEventsController;
}
