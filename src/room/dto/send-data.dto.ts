import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_DATA_DESTINATIONS, MAX_ROOM_NAME_LENGTH } from '../livekit-room.constants';
import { IfPresent } from './if-present.decorator';

export const DATA_ENCODINGS = ['utf8', 'base64'] as const;

/** Body of `POST /livekit/rooms/:room/data`. */
export class SendLiveKitDataDto {
  /** The payload: text, or bytes in base64 with `encoding: 'base64'`. */
  @IsNotEmpty()
  @IsString()
  data!: string;

  /** @default 'utf8' */
  @IfPresent()
  @IsIn(DATA_ENCODINGS)
  encoding?: (typeof DATA_ENCODINGS)[number];

  @IfPresent()
  @MaxLength(MAX_ROOM_NAME_LENGTH)
  @IsNotEmpty()
  @IsString()
  topic?: string;

  /** @default everyone in the room */
  @IfPresent()
  @MaxLength(MAX_ROOM_NAME_LENGTH, { each: true })
  @IsNotEmpty({ each: true })
  @IsString({ each: true })
  @ArrayMaxSize(MAX_DATA_DESTINATIONS)
  @ArrayNotEmpty()
  @IsArray()
  destinationIdentities?: string[];

  /** @default true */
  @IfPresent()
  @IsBoolean()
  reliable?: boolean;
}
