import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_METADATA_LENGTH, MAX_NAME_LENGTH } from '../livekit-token.constants';
import { IsStringRecord } from './is-string-record.decorator';

/** Body of `POST /livekit/token`, LiveKit's standard token endpoint (what `TokenSource.endpoint` sends). */
export class StandardTokenRequestDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  room_name?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  participant_identity?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  participant_name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_METADATA_LENGTH)
  participant_metadata?: string;

  @IsOptional()
  @IsStringRecord(MAX_METADATA_LENGTH)
  participant_attributes?: Record<string, string>;

  @IsOptional()
  @IsObject()
  room_config?: Record<string, unknown>;
}
