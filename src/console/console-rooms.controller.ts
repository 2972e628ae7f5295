import { Body, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, type Type } from '@nestjs/common';
import { MuteLiveKitTrackDto } from '../room/dto/mute-track.dto';
import { SendLiveKitDataDto } from '../room/dto/send-data.dto';
import { type LiveKitRoomBody, LiveKitRoomBodyPipe, ParseTrackSidPipe } from '../room/room-validation.pipe';
import { LiveKitRoomService } from '../room/livekit-room.service';
import { decodeDataPayload } from '../room/livekit-rooms.controller';
import { parseConsoleName } from './console-params';
import { ConsoleApiController, type ConsoleRouteOptions } from './console-route';
import { ConsoleRoomSource } from './console-room.source';
import type { LiveKitConsoleRoom, LiveKitConsoleTrack } from './interfaces/console-room.interface';

/**
 * `/<path>/api/rooms`: the live list, and the Rooms page's actions through `LiveKitRoomService`. Each action
 * answers with what livekit-server answered (the track as it is now, or the confirmation of the removal), so
 * that the page shows the server's word, not its own guess.
 */
export function createConsoleRoomsController(options: ConsoleRouteOptions): Type<unknown> {
  @ConsoleApiController(options, 'rooms')
  class LiveKitConsoleRoomsController {
    constructor(
      private readonly roomService: LiveKitRoomService,
      @Inject(ConsoleRoomSource) private readonly source: ConsoleRoomSource,
    ) {}

    @Get()
    async list(): Promise<{ backing: string; rooms: LiveKitConsoleRoom[] }> {
      return { backing: this.source.backing, rooms: await this.source.rooms() };
    }

    @Post(':room/participants/:identity/tracks/:trackSid/mute')
    @HttpCode(HttpStatus.OK)
    async mute(
      @Param('room') room: string,
      @Param('identity') identity: string,
      @Param('trackSid', ParseTrackSidPipe) trackSid: string,
      @Body(new LiveKitRoomBodyPipe(MuteLiveKitTrackDto)) body: LiveKitRoomBody<MuteLiveKitTrackDto>,
    ): Promise<{ track: Pick<LiveKitConsoleTrack, 'sid' | 'name' | 'muted'> }> {
      const track = await this.roomService.mutePublishedTrack(
        parseConsoleName('room', room),
        parseConsoleName('identity', identity),
        trackSid,
        body.muted,
      );
      this.source.refresh();
      return { track: { sid: track.sid, name: track.name, muted: track.muted } };
    }

    @Delete(':room/participants/:identity')
    @HttpCode(HttpStatus.OK)
    async remove(@Param('room') room: string, @Param('identity') identity: string): Promise<{ removed: string }> {
      const who = parseConsoleName('identity', identity);
      await this.roomService.removeParticipant(parseConsoleName('room', room), who);
      this.source.refresh();
      return { removed: who };
    }

    @Delete(':room')
    @HttpCode(HttpStatus.OK)
    async end(@Param('room') room: string): Promise<{ ended: string }> {
      const name = parseConsoleName('room', room);
      await this.roomService.deleteRoom(name);
      this.source.refresh();
      return { ended: name };
    }

    @Post(':room/data')
    @HttpCode(HttpStatus.OK)
    async sendData(
      @Param('room') room: string,
      @Body(new LiveKitRoomBodyPipe(SendLiveKitDataDto)) body: LiveKitRoomBody<SendLiveKitDataDto>,
    ): Promise<{ sent: number }> {
      const bytes = decodeDataPayload(body);
      await this.roomService.sendData(parseConsoleName('room', room), bytes, {
        topic: body.topic,
        destinationIdentities: body.destinationIdentities,
        reliable: body.reliable,
      });
      return { sent: bytes.length };
    }
  }
  return LiveKitConsoleRoomsController;
}
