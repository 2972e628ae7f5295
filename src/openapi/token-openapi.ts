import type { Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { OpenViduTokenRequestDto } from '../token/dto/openvidu-token-request.dto';
import { StandardTokenRequestDto } from '../token/dto/standard-token-request.dto';
import { MAX_METADATA_LENGTH, MAX_NAME_LENGTH } from '../token/livekit-token.constants';
import type { StandardTokenResponse } from '../token/standard-token.controller';
import { decorateMethod, decorateProperties } from './decorate';
import { ErrorResponseDto } from './error-response.dto';

/** OpenAPI tag of the token endpoints. */
export const TOKEN_OPENAPI_TAG = 'tokens';

/** Response of `POST /token`. */
export class OpenViduTokenResponseDto {
  @ApiProperty({
    description: 'LiveKit access token (JWT) for the room, as the identity participantName',
    example: 'eyJhbGciOiJIUzI1NiJ9...',
  })
  token!: string;
}

/** OpenAPI schema of {@link StandardTokenResponse}, the response of `POST /livekit/token`. */
export class StandardTokenResponseDto implements StandardTokenResponse {
  @ApiProperty({ description: 'URL of the LiveKit server the client connects to', example: 'wss://livekit.example.com' })
  server_url!: string;

  @ApiProperty({ description: 'LiveKit access token (JWT)', example: 'eyJhbGciOiJIUzI1NiJ9...' })
  participant_token!: string;
}

let requestSchemasDocumented = false;

/** The request DTOs' schemas, applied once (the DTOs are the validation classes of the token module). */
function documentRequestSchemas(): void {
  if (requestSchemasDocumented) return;
  requestSchemasDocumented = true;
  decorateProperties(OpenViduTokenRequestDto, {
    roomName: ApiProperty({ description: 'Room to join', minLength: 1, maxLength: MAX_NAME_LENGTH, example: 'demo' }),
    participantName: ApiProperty({
      description: 'Identity of the participant in the room',
      minLength: 1,
      maxLength: MAX_NAME_LENGTH,
      example: 'Participant42',
    }),
  });
  decorateProperties(StandardTokenRequestDto, {
    room_name: ApiPropertyOptional({
      description: 'Room to join; generated when absent',
      minLength: 1,
      maxLength: MAX_NAME_LENGTH,
      example: 'demo',
    }),
    participant_identity: ApiPropertyOptional({
      description: 'Identity in the room; participant_name, or a generated one, when absent',
      minLength: 1,
      maxLength: MAX_NAME_LENGTH,
      example: 'user-42',
    }),
    participant_name: ApiPropertyOptional({ description: 'Display name', maxLength: MAX_NAME_LENGTH, example: 'Alice' }),
    participant_metadata: ApiPropertyOptional({ description: 'Participant metadata (often JSON text)', maxLength: MAX_METADATA_LENGTH }),
    participant_attributes: ApiPropertyOptional({
      description: 'Participant attributes',
      type: 'object',
      additionalProperties: { type: 'string', maxLength: MAX_METADATA_LENGTH },
      example: { team: 'blue' },
    }),
    room_config: ApiPropertyOptional({
      description: 'LiveKit RoomConfiguration as protobuf JSON (snake_case or camelCase), e.g. agents to dispatch',
      type: 'object',
      additionalProperties: true,
      example: { agents: [{ agent_name: 'assistant' }] },
    }),
  });
}

/** The error answers both token endpoints share. */
const TOKEN_ERRORS = [
  ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed JSON, or a field with a wrong type or length' }),
  ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body larger than JSON_BODY_LIMIT' }),
  ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'Rate limit reached (only when LiveKitTokenRateLimitModule is registered)',
    headers: { 'Retry-After': { description: 'Seconds before the client may try again', schema: { type: 'integer' } } },
  }),
];

export function documentOpenViduTokenController(controller: Type<unknown>): void {
  documentRequestSchemas();
  ApiTags(TOKEN_OPENAPI_TAG)(controller);
  decorateMethod(controller, 'createToken', [
    ApiOperation({ summary: 'Token for a room (OpenVidu application-server tutorials)', operationId: 'createOpenViduToken' }),
    ApiBody({ type: OpenViduTokenRequestDto }),
    ApiOkResponse({ type: OpenViduTokenResponseDto }),
    ...TOKEN_ERRORS,
  ]);
}

export function documentStandardTokenController(controller: Type<unknown>): void {
  documentRequestSchemas();
  ApiTags(TOKEN_OPENAPI_TAG)(controller);
  decorateMethod(controller, 'createToken', [
    ApiOperation({
      summary: "Token for a room (LiveKit's standard token endpoint, `TokenSource.endpoint`)",
      operationId: 'createLiveKitToken',
    }),
    ApiBody({ type: StandardTokenRequestDto, required: false }),
    ApiCreatedResponse({ type: StandardTokenResponseDto }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: 'A field the token policy does not allow' }),
    ...TOKEN_ERRORS,
  ]);
}
