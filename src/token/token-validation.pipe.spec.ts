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

  it("a host's global ValidationPipe, with or without transform, returns a 6,000-deep body untouched: it walks class metatypes only", async () => {
    const deep: unknown = JSON.parse(`{"participantName":${'['.repeat(6000)}${']'.repeat(6000)}}`);
    const metadata = bodyMetadata(OpenViduTokenController.prototype, 'createToken');
    await expect(hostGlobalPipe.transform(deep, metadata)).resolves.toBe(deep);
    await expect(new ValidationPipe({ transform: true, whitelist: true }).transform(deep, metadata)).resolves.toBe(deep);
  });

  it.each([
    ['POST /token', OpenViduTokenRequestDto, (inner: string) => `{"roomName":"r","participantName":${inner}}`],
    ['POST /livekit/token', StandardTokenRequestDto, (inner: string) => `{"room_config":{"agents":${inner}}}`],
  ])('%s: 400 for a 6,000-deep body before Nest walks it (a stack overflow otherwise)', async (_, dto, wrap) => {
    const deep: unknown = JSON.parse(wrap(`${'['.repeat(6000)}${']'.repeat(6000)}`));
    const error = await tokenValidationPipe(dto)
      .transform(deep, { type: 'body', metatype: Object })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).message).toBe('request body is nested too deeply (more than 32 levels)');
  });

  it('reads a missing body (none sent, or no JSON content type) as an empty one', async () => {
    const metadata: ArgumentMetadata = { type: 'body', metatype: Object, data: undefined };
    await expect(tokenValidationPipe(StandardTokenRequestDto).transform(undefined, metadata)).resolves.toEqual({});
    await expect(tokenValidationPipe(OpenViduTokenRequestDto).transform(undefined, metadata)).rejects.toThrow(OPENVIDU_REQUIRED_MESSAGE);
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
