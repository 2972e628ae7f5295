import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_NAME_LENGTH, OPENVIDU_REQUIRED_MESSAGE } from '../livekit-token.constants';

/** Body of `POST /token`, the OpenVidu application-server contract. */
export class OpenViduTokenRequestDto {
  @MaxLength(MAX_NAME_LENGTH, { message: `roomName must be at most ${MAX_NAME_LENGTH} characters` })
  @IsString({ message: 'roomName must be a string' })
  @IsNotEmpty({ message: OPENVIDU_REQUIRED_MESSAGE })
  roomName!: string;

  @MaxLength(MAX_NAME_LENGTH, { message: `participantName must be at most ${MAX_NAME_LENGTH} characters` })
  @IsString({ message: 'participantName must be a string' })
  @IsNotEmpty({ message: OPENVIDU_REQUIRED_MESSAGE })
  participantName!: string;
}
