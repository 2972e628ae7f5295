import {
  applyDecorators,
  BadRequestException,
  Body,
  type CanActivate,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { TrackSource } from 'livekit-server-sdk';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { MuteLiveKitTrackDto } from './dto/mute-track.dto';
import { type TrackSourceName, UpdateLiveKitParticipantDto } from './dto/update-participant.dto';
import type { LiveKitParticipantUpdate } from './interfaces/livekit-room-operations.interface';
import { LIVEKIT_ROOMS_PATH } from './livekit-room.constants';
import { type LiveKitJson, participantToJson, trackToJson } from './livekit-room.serializer';
import { LiveKitRoomService } from './livekit-room.service';
import { type LiveKitRoomBody, LiveKitRoomBodyPipe, ParseTrackSidPipe } from './room-validation.pipe';

const SOURCES: Record<TrackSourceName, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

/** The service's update from a validated body; 400 when it changes nothing. */
export function toParticipantUpdate(body: UpdateLiveKitParticipantDto): LiveKitParticipantUpdate {
  const { name, metadata, attributes, permission } = body;
  if (name === undefined && metadata === undefined && attributes === undefined && permission === undefined) {
    throw new BadRequestException('nothing to update: send name, metadata, attributes or permission');
  }
  const { canPublishSources, ...flags } = permission ?? {};
  return {
    name,
    metadata,
    attributes,
    permission: permission && { ...flags, canPublishSources: canPublishSources?.map((source) => SOURCES[source]) },
  };
}

/** Builds the participants controller (`/livekit/rooms/:room/participants`) behind the given guard. */
export function createLiveKitParticipantsController(guard: Type<CanActivate>, decorators: ClassDecorator[]): Type<unknown> {
  @Controller(`${LIVEKIT_ROOMS_PATH}/:room/participants`)
  @DocumentedAs('participants')
  @UseFilters(LiveKitErrorResponseFilter)
  @UseGuards(guard)
  @applyDecorators(...decorators)
  class LiveKitParticipantsController {
    constructor(private readonly rooms: LiveKitRoomService) {}

    @Get()
    async list(@Param('room') room: string): Promise<{ participants: LiveKitJson[] }> {
      return { participants: (await this.rooms.listParticipants(room)).map(participantToJson) };
    }

    @Get(':identity')
    async get(@Param('room') room: string, @Param('identity') identity: string): Promise<LiveKitJson> {
      return participantToJson(await this.rooms.getParticipant(room, identity));
    }

    /** Changes name, metadata, attributes (merged) or permissions (merged). */
    @Patch(':identity')
    async update(
      @Param('room') room: string,
      @Param('identity') identity: string,
      @Body(new LiveKitRoomBodyPipe(UpdateLiveKitParticipantDto)) body: LiveKitRoomBody<UpdateLiveKitParticipantDto>,
    ): Promise<LiveKitJson> {
      return participantToJson(await this.rooms.updateParticipant(room, identity, toParticipantUpdate(body)));
    }

    /** Disconnects the participant. */
    @Delete(':identity')
    @HttpCode(HttpStatus.NO_CONTENT)
    async remove(@Param('room') room: string, @Param('identity') identity: string): Promise<void> {
      await this.rooms.removeParticipant(room, identity);
    }

    /** Mutes or unmutes a published track: `{ "muted": true }`. */
    @Patch(':identity/tracks/:trackSid')
    async muteTrack(
      @Param('room') room: string,
      @Param('identity') identity: string,
      @Param('trackSid', ParseTrackSidPipe) trackSid: string,
      @Body(new LiveKitRoomBodyPipe(MuteLiveKitTrackDto)) body: LiveKitRoomBody<MuteLiveKitTrackDto>,
    ): Promise<LiveKitJson> {
      return trackToJson(await this.rooms.mutePublishedTrack(room, identity, trackSid, body.muted));
    }
  }
  return LiveKitParticipantsController;
}
