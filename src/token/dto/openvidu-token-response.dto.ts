import { ApiProperty } from '@nestjs/swagger';

/** Response of `POST /token`. */
export class OpenViduTokenResponseDto {
  @ApiProperty({
    description: 'LiveKit access token (JWT) for the room, as the identity participantName',
    example: 'eyJhbGciOiJIUzI1NiJ9...',
  })
  token!: string;
}
