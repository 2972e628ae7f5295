import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_ROOM_METADATA_LENGTH, MAX_ROOM_NAME_LENGTH } from '../livekit-room.constants';
import { IfPresent } from './if-present.decorator';

const UINT32_MAX = 4_294_967_295;

/** Body of `POST /livekit/rooms`. */
export class CreateLiveKitRoomDto {
  @MaxLength(MAX_ROOM_NAME_LENGTH)
  @IsNotEmpty()
  @IsString()
  name!: string;

  /** Seconds the room stays open before anyone joins. */
  @IfPresent()
  @Max(UINT32_MAX)
  @Min(0)
  @IsInt()
  emptyTimeout?: number;

  /** Seconds the room stays open after the last participant leaves. */
  @IfPresent()
  @Max(UINT32_MAX)
  @Min(0)
  @IsInt()
  departureTimeout?: number;

  /** 0 for no limit. */
  @IfPresent()
  @Max(UINT32_MAX)
  @Min(0)
  @IsInt()
  maxParticipants?: number;

  @IfPresent()
  @MaxLength(MAX_ROOM_METADATA_LENGTH)
  @IsString()
  metadata?: string;
}
