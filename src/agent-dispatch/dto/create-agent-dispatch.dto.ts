import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IfPresent } from '../../room/dto/if-present.decorator';
import { MAX_ROOM_METADATA_LENGTH, MAX_ROOM_NAME_LENGTH } from '../../room/livekit-room.constants';

/** Body of `POST /livekit/rooms/:room/agent-dispatches`. */
export class CreateLiveKitAgentDispatchDto {
  /** The `agentName` the agent's workers registered with. */
  @MaxLength(MAX_ROOM_NAME_LENGTH)
  @IsNotEmpty()
  @IsString()
  agentName!: string;

  /** Handed to the agent with its job. */
  @IfPresent()
  @MaxLength(MAX_ROOM_METADATA_LENGTH)
  @IsString()
  metadata?: string;
}
