import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_METADATA_LENGTH, MAX_NAME_LENGTH } from '../livekit-token.constants';
import { IsStringRecord } from './is-string-record.decorator';

/** Body of `POST /livekit/token`, LiveKit's standard token endpoint (what `TokenSource.endpoint` sends). */
export class StandardTokenRequestDto {
  @ApiPropertyOptional({ description: 'Room to join; generated when absent', minLength: 1, maxLength: MAX_NAME_LENGTH, example: 'demo' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  room_name?: string;

  @ApiPropertyOptional({
    description: 'Identity in the room; participant_name, or a generated one, when absent',
    minLength: 1,
    maxLength: MAX_NAME_LENGTH,
    example: 'user-42',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  participant_identity?: string;

  @ApiPropertyOptional({ description: 'Display name', maxLength: MAX_NAME_LENGTH, example: 'Alice' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  participant_name?: string;

  @ApiPropertyOptional({ description: 'Participant metadata (often JSON text)', maxLength: MAX_METADATA_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_METADATA_LENGTH)
  participant_metadata?: string;

  @ApiPropertyOptional({
    description: 'Participant attributes',
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_METADATA_LENGTH },
    example: { team: 'blue' },
  })
  @IsOptional()
  @IsStringRecord(MAX_METADATA_LENGTH)
  participant_attributes?: Record<string, string>;

  @ApiPropertyOptional({
    description: 'LiveKit RoomConfiguration as protobuf JSON (snake_case or camelCase), e.g. agents to dispatch',
    type: 'object',
    additionalProperties: true,
    example: { agents: [{ agent_name: 'assistant' }] },
  })
  @IsOptional()
  @IsObject()
  room_config?: Record<string, unknown>;
}
