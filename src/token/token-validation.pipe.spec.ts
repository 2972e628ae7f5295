import { type ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { OpenViduTokenRequestDto } from './dto/openvidu-token-request.dto';
import { StandardTokenRequestDto } from './dto/standard-token-request.dto';
import { OPENVIDU_REQUIRED_MESSAGE } from './livekit-token.constants';
import { OpenViduTokenController } from './openvidu-token.controller';
import { StandardTokenController } from './standard-token.controller';
import { tokenValidationPipe } from './token-validation.pipe';

/** What Nest hands a pipe for the `@Body()` of a controller method, from its emitted parameter types. */
function bodyMetadata(controller: object, method: string): ArgumentMetadata {
  const types = Reflect.getMetadata('design:paramtypes', controller, method) as unknown[];
  return { type: 'body', metatype: types[0] as ArgumentMetadata['metatype'], data: undefined };
}

const hostGlobalPipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });

describe('token body validation', () => {
  it.each([
    ['POST /token', OpenViduTokenController.prototype],
    ['POST /livekit/token', StandardTokenController.prototype],
  ])("%s: a host's global ValidationPipe leaves the body to our route pipe", async (_, prototype) => {
    const metadata = bodyMetadata(prototype, 'createToken');
    expect(metadata.metatype).toBe(Object);
    const body = { roomName: 42, extra: 1 };
    await expect(hostGlobalPipe.transform(body, metadata)).resolves.toBe(body);
  });

  it('answers the OpenVidu message for a missing name, whatever else is wrong', async () => {
    const pipe = tokenValidationPipe(OpenViduTokenRequestDto);
    const error = await pipe.transform({ participantName: 7 }, { type: 'body', metatype: Object }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).message).toBe(OPENVIDU_REQUIRED_MESSAGE);
  });

  it('drops unknown fields instead of refusing them, and validates against the given DTO', async () => {
    const openvidu = await tokenValidationPipe(OpenViduTokenRequestDto).transform(
      { roomName: 'r', participantName: 'p', extra: 1 },
      { type: 'body', metatype: Object },
    );
    expect(openvidu).toEqual({ roomName: 'r', participantName: 'p' });
    await expect(
      tokenValidationPipe(StandardTokenRequestDto).transform({ room_name: 5 }, { type: 'body', metatype: Object }),
    ).rejects.toThrow('room_name must be');
  });
});
