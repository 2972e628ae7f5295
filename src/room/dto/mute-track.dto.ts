import { IsBoolean } from 'class-validator';

/** Body of `PATCH /livekit/rooms/:room/participants/:identity/tracks/:trackSid`. */
export class MuteLiveKitTrackDto {
  @IsBoolean()
  muted!: boolean;
}
