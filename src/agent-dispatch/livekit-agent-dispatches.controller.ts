import {
  applyDecorators,
  Body,
  type CanActivate,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { agentDispatchToJson, type LiveKitJson } from '../room/livekit-room.serializer';
import { type LiveKitRoomBody, LiveKitRoomBodyPipe } from '../room/room-validation.pipe';
import { ParseAgentDispatchIdPipe } from './agent-dispatch-id.pipe';
import { CreateLiveKitAgentDispatchDto } from './dto/create-agent-dispatch.dto';
import { LIVEKIT_AGENT_DISPATCHES_PATH } from './livekit-agent-dispatch.constants';
import { LiveKitAgentDispatchService } from './livekit-agent-dispatch.service';

/** Builds the agent dispatch controller (`/livekit/rooms/:room/agent-dispatches`) behind the given guard. */
export function createLiveKitAgentDispatchesController(guard: Type<CanActivate>, decorators: ClassDecorator[]): Type<unknown> {
  @Controller(LIVEKIT_AGENT_DISPATCHES_PATH)
  @DocumentedAs('rooms')
  @UseFilters(LiveKitErrorResponseFilter)
  @UseGuards(guard)
  @applyDecorators(...decorators)
  class LiveKitAgentDispatchesController {
    constructor(private readonly dispatches: LiveKitAgentDispatchService) {}

    /** 201 with the dispatch; livekit-server creates the room if needed. */
    @Post()
    @HttpCode(HttpStatus.CREATED)
    async create(
      @Param('room') room: string,
      @Body(new LiveKitRoomBodyPipe(CreateLiveKitAgentDispatchDto)) body: LiveKitRoomBody<CreateLiveKitAgentDispatchDto>,
    ): Promise<LiveKitJson> {
      return agentDispatchToJson(await this.dispatches.createDispatch(room, body.agentName, { metadata: body.metadata }));
    }

    @Get()
    async list(@Param('room') room: string): Promise<{ dispatches: LiveKitJson[] }> {
      return { dispatches: (await this.dispatches.listDispatches(room)).map(agentDispatchToJson) };
    }

    @Get(':dispatchId')
    async get(@Param('room') room: string, @Param('dispatchId', ParseAgentDispatchIdPipe) dispatchId: string): Promise<LiveKitJson> {
      return agentDispatchToJson(await this.dispatches.getDispatch(room, dispatchId));
    }

    /** Deletes the dispatch; its agent leaves the room. */
    @Delete(':dispatchId')
    @HttpCode(HttpStatus.NO_CONTENT)
    async remove(@Param('room') room: string, @Param('dispatchId', ParseAgentDispatchIdPipe) dispatchId: string): Promise<void> {
      await this.dispatches.deleteDispatch(room, dispatchId);
    }
  }
  return LiveKitAgentDispatchesController;
}
