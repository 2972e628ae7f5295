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
  Post,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { CreateLiveKitRoomDto } from './dto/create-room.dto';
import { SendLiveKitDataDto } from './dto/send-data.dto';
import { UpdateLiveKitRoomDto } from './dto/update-room.dto';
import { LIVEKIT_ROOMS_PATH, MAX_DATA_BYTES } from './livekit-room.constants';
import { type LiveKitJson, roomToJson } from './livekit-room.serializer';
import { LiveKitRoomService } from './livekit-room.service';
import { type LiveKitRoomBody, LiveKitRoomBodyPipe } from './room-validation.pipe';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of a data message body; 400 for bad base64 or more than {@link MAX_DATA_BYTES}. */
export function decodeDataPayload(body: Pick<SendLiveKitDataDto, 'data' | 'encoding'>): Uint8Array {
  if (body.encoding === 'base64' && !BASE64.test(body.data)) throw new BadRequestException('data is not valid base64');
  const bytes = Buffer.from(body.data, body.encoding === 'base64' ? 'base64' : 'utf8');
  if (bytes.length > MAX_DATA_BYTES) {
    throw new BadRequestException(`data must be at most ${MAX_DATA_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Builds the rooms controller (`/livekit/rooms`) behind the given guard, with the host's decorators
 * (a class per configuration, as the webhook controller).
 */
export function createLiveKitRoomsController(guard: Type<CanActivate>, decorators: ClassDecorator[]): Type<unknown> {
  @Controller(LIVEKIT_ROOMS_PATH)
  @DocumentedAs('rooms')
  @UseFilters(LiveKitErrorResponseFilter)
  @UseGuards(guard)
  @applyDecorators(...decorators)
  class LiveKitRoomsController {
    constructor(private readonly rooms: LiveKitRoomService) {}

    /** 201 with the room; an existing room is returned unchanged. */
    @Post()
    @HttpCode(HttpStatus.CREATED)
    async create(@Body(new LiveKitRoomBodyPipe(CreateLiveKitRoomDto)) body: LiveKitRoomBody<CreateLiveKitRoomDto>): Promise<LiveKitJson> {
      const { name, emptyTimeout, departureTimeout, maxParticipants, metadata } = body;
      return roomToJson(await this.rooms.createRoom({ name, emptyTimeout, departureTimeout, maxParticipants, metadata }));
    }

    @Get()
    async list(): Promise<{ rooms: LiveKitJson[] }> {
      return { rooms: (await this.rooms.listRooms()).map(roomToJson) };
    }

    @Get(':room')
    async get(@Param('room') room: string): Promise<LiveKitJson> {
      return roomToJson(await this.rooms.getRoom(room));
    }

    /** Replaces the room's metadata. */
    @Patch(':room')
    async update(
      @Param('room') room: string,
      @Body(new LiveKitRoomBodyPipe(UpdateLiveKitRoomDto)) body: LiveKitRoomBody<UpdateLiveKitRoomDto>,
    ): Promise<LiveKitJson> {
      return roomToJson(await this.rooms.updateRoomMetadata(room, body.metadata));
    }

    /** Ends the room, disconnecting everyone. */
    @Delete(':room')
    @HttpCode(HttpStatus.NO_CONTENT)
    async remove(@Param('room') room: string): Promise<void> {
      await this.rooms.deleteRoom(room);
    }

    /** Sends a data message to the room; 204 once livekit-server has taken it. */
    @Post(':room/data')
    @HttpCode(HttpStatus.NO_CONTENT)
    async sendData(
      @Param('room') room: string,
      @Body(new LiveKitRoomBodyPipe(SendLiveKitDataDto)) body: LiveKitRoomBody<SendLiveKitDataDto>,
    ): Promise<void> {
      await this.rooms.sendData(room, decodeDataPayload(body), {
        topic: body.topic,
        reliable: body.reliable,
        destinationIdentities: body.destinationIdentities,
      });
    }
  }
  return LiveKitRoomsController;
}
