import { IsString, MaxLength } from 'class-validator';
import { MAX_ROOM_METADATA_LENGTH } from '../livekit-room.constants';

/** Body of `PATCH /livekit/rooms/:room`. */
export class UpdateLiveKitRoomDto {
  @MaxLength(MAX_ROOM_METADATA_LENGTH)
  @IsString()
  metadata!: string;
}
