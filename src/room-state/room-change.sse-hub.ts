import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { LiveKitRoomStateModuleOptions } from './interfaces/livekit-room-state-module-options.interface';
import { DEFAULT_SSE_HEARTBEAT_MS, DEFAULT_SSE_MAX_CLIENTS, LIVEKIT_ROOM_STATE_OPTIONS } from './livekit-room-state.constants';
import { LiveKitRoomStateStreamsExhaustedException } from './livekit-room-state.errors';
import { LiveKitRoomStateService } from './livekit-room-state.service';

/** How long a client waits before reconnecting after the stream ended (sent as `retry:`). */
const RETRY_MS = 3_000;
/** Bytes a stream may have waiting for a client that does not read; past them it is ended (it reconnects). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * The open Server-Sent Events streams of room changes: each gets `change` events (`id:` counts up per
 * stream), an optional first `snapshot` event, and a `: heartbeat` comment every `sseHeartbeatMs`. Every
 * stream is ended when the application shuts down, so that the HTTP server can close.
 */
@Injectable()
export class RoomChangeSseHub implements OnModuleDestroy {
  private readonly streams = new Set<() => void>();
  private readonly heartbeatMs: number;
  private readonly maxClients: number;

  constructor(
    private readonly state: LiveKitRoomStateService,
    @Inject(LIVEKIT_ROOM_STATE_OPTIONS) options: LiveKitRoomStateModuleOptions,
  ) {
    this.heartbeatMs = options.sseHeartbeatMs ?? DEFAULT_SSE_HEARTBEAT_MS;
    this.maxClients = options.sseMaxClients ?? DEFAULT_SSE_MAX_CLIENTS;
  }

  /** Checks, before any byte is written, that one more stream may open. */
  assertCapacity(): void {
    if (this.streams.size >= this.maxClients) throw new LiveKitRoomStateStreamsExhaustedException(this.maxClients);
  }

  /** Streams changes (of `room` only, when given) to `res` until the client leaves or the app shuts down. */
  async open(res: ServerResponse, options: { room?: string; snapshot: boolean }): Promise<void> {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    let id = 0;
    const pending: string[] = [];
    let ready = !options.snapshot;
    const write = (text: string) => {
      if (res.writableEnded) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) end();
      else res.write(text);
    };
    const unsubscribe = this.state.subscribe(
      (change) => {
        const frame = `id: ${++id}\nevent: change\ndata: ${JSON.stringify(change)}\n\n`;
        if (ready) write(frame);
        else pending.push(frame);
      },
      { room: options.room },
    );
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), this.heartbeatMs);
    heartbeat.unref();
    const end = () => {
      if (!this.streams.delete(end)) return;
      clearInterval(heartbeat);
      unsubscribe();
      if (!res.writableEnded) res.end();
    };
    this.streams.add(end);
    res.on('close', end);
    write(`retry: ${RETRY_MS}\n\n`);
    if (options.snapshot) {
      // Subscribed first, so that no change falls between the snapshot and the stream.
      try {
        const rooms = options.room === undefined ? await this.state.rooms() : [await this.state.room(options.room)].filter(Boolean);
        write(`event: snapshot\ndata: ${JSON.stringify({ rooms })}\n\n`);
      } catch {
        end();
        return;
      }
      ready = true;
      for (const frame of pending.splice(0)) write(frame);
    }
  }

  get size(): number {
    return this.streams.size;
  }

  onModuleDestroy(): void {
    for (const end of [...this.streams]) end();
  }
}
