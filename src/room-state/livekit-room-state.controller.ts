import {
  applyDecorators,
  BadRequestException,
  type CanActivate,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import type { LiveKitRoomState, LiveKitRoomStateReconcileResult } from './interfaces/livekit-room-state.interface';
import { LIVEKIT_ROOM_STATE_PATH } from './livekit-room-state.constants';
import { LiveKitRoomStateNotFoundException } from './livekit-room-state.errors';
import { LiveKitRoomStateReconciler } from './livekit-room-state.reconciler';
import { LiveKitRoomStateService } from './livekit-room-state.service';
import { RoomChangeSseHub } from './room-change.sse-hub';

/** Express hands its response, Fastify a reply whose `raw` is the Node response (to be hijacked first). */
interface FastifyLikeReply {
  raw: ServerResponse;
  hijack(): void;
}

function nodeResponse(res: ServerResponse | FastifyLikeReply): ServerResponse {
  if ('raw' in res && typeof res.hijack === 'function') {
    res.hijack();
    return res.raw;
  }
  return res as ServerResponse;
}

/** Builds the room state controller (`/rooms-state`) behind the given guard. */
export function createLiveKitRoomStateController(guard: Type<CanActivate>, decorators: ClassDecorator[]): Type<unknown> {
  @Controller(LIVEKIT_ROOM_STATE_PATH)
  @DocumentedAs('room-state')
  @UseFilters(LiveKitErrorResponseFilter)
  @UseGuards(guard)
  @applyDecorators(...decorators)
  class LiveKitRoomStateController {
    constructor(
      private readonly state: LiveKitRoomStateService,
      private readonly reconciler: LiveKitRoomStateReconciler,
      private readonly hub: RoomChangeSseHub,
    ) {}

    @Get()
    async list(): Promise<{ rooms: LiveKitRoomState[] }> {
      return { rooms: await this.state.rooms() };
    }

    /**
     * Server-Sent Events: `change` events (a `LiveKitRoomChange` each), `: heartbeat` comments;
     * `?room=<name>` for one room, `?snapshot=true` for a first `snapshot` event `{ rooms }`.
     */
    @Get('changes')
    async changes(
      @Req() _req: IncomingMessage,
      @Res() res: ServerResponse | FastifyLikeReply,
      @Query('room') room?: unknown,
      @Query('snapshot') snapshot?: unknown,
    ): Promise<void> {
      if (room !== undefined && typeof room !== 'string') throw new BadRequestException('room must be given once');
      this.hub.assertCapacity();
      await this.hub.open(nodeResponse(res), {
        room: typeof room === 'string' && room !== '' ? room : undefined,
        snapshot: snapshot === 'true' || snapshot === '1',
      });
    }

    /** Compares with LiveKit now and repairs; 200 with what was found and the changes made. */
    @Post('reconcile')
    @HttpCode(HttpStatus.OK)
    reconcile(): Promise<LiveKitRoomStateReconcileResult> {
      return this.reconciler.reconcile();
    }

    @Get(':room')
    async get(@Param('room') room: string): Promise<LiveKitRoomState> {
      const found = await this.state.room(room);
      if (!found) throw new LiveKitRoomStateNotFoundException(room);
      return found;
    }
  }
  return LiveKitRoomStateController;
}
