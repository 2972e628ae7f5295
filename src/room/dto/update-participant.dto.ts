import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsStringRecord } from '../../token/dto/is-string-record.decorator';
import { MAX_ROOM_METADATA_LENGTH, MAX_ROOM_NAME_LENGTH } from '../livekit-room.constants';
import { IfPresent } from './if-present.decorator';

/** Track sources as in access tokens' `canPublishSources`. */
export const TRACK_SOURCE_NAMES = ['camera', 'microphone', 'screen_share', 'screen_share_audio'] as const;
export type TrackSourceName = (typeof TRACK_SOURCE_NAMES)[number];

/** Permissions to change; those left out keep their current value. */
export class LiveKitParticipantPermissionDto {
  @IfPresent()
  @IsBoolean()
  canSubscribe?: boolean;

  @IfPresent()
  @IsBoolean()
  canPublish?: boolean;

  @IfPresent()
  @IsBoolean()
  canPublishData?: boolean;

  /** Sources the participant may publish; an empty list allows every source. */
  @IfPresent()
  @IsIn(TRACK_SOURCE_NAMES, { each: true })
  @ArrayMaxSize(TRACK_SOURCE_NAMES.length)
  @IsArray()
  canPublishSources?: TrackSourceName[];

  @IfPresent()
  @IsBoolean()
  hidden?: boolean;

  @IfPresent()
  @IsBoolean()
  canUpdateMetadata?: boolean;

  @IfPresent()
  @IsBoolean()
  canSubscribeMetrics?: boolean;
}

/** Body of `PATCH /livekit/rooms/:room/participants/:identity`: at least one field. */
export class UpdateLiveKitParticipantDto {
  /** Display name. */
  @IfPresent()
  @MaxLength(MAX_ROOM_NAME_LENGTH)
  @IsString()
  name?: string;

  @IfPresent()
  @MaxLength(MAX_ROOM_METADATA_LENGTH)
  @IsString()
  metadata?: string;

  /** Attributes to set; others are kept, and an empty string removes one. */
  @IfPresent()
  @IsStringRecord(MAX_ROOM_METADATA_LENGTH)
  attributes?: Record<string, string>;

  @IfPresent()
  @Type(() => LiveKitParticipantPermissionDto)
  @ValidateNested()
  @IsObject()
  permission?: LiveKitParticipantPermissionDto;
}
