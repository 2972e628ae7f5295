import { ApiProperty } from '@nestjs/swagger';
import type { StandardTokenResponse } from '../standard-token.controller';

/** OpenAPI schema of {@link StandardTokenResponse}, the response of `POST /livekit/token`. */
export class StandardTokenResponseDto implements StandardTokenResponse {
  @ApiProperty({ description: 'URL of the LiveKit server the client connects to', example: 'wss://livekit.example.com' })
  server_url!: string;

  @ApiProperty({ description: 'LiveKit access token (JWT)', example: 'eyJhbGciOiJIUzI1NiJ9...' })
  participant_token!: string;
}
