import { type ArgumentMetadata, BadRequestException, type Type, ValidationPipe } from '@nestjs/common';
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

  // The reference: Nest's own pipe with the options ours passes, on the generic class-transformer path.
  const reference = (dto: Type<object>) =>
    new ValidationPipe({
      expectedType: dto,
      whitelist: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      exceptionFactory: (errors) => new BadRequestException(errors.map((e) => Object.values(e.constraints ?? {})).flat()),
    });
  const outcome = (pipe: ValidationPipe, body: unknown) =>
    pipe.transform(structuredClone(body), { type: 'body', metatype: Object }).then(
      (value) => ({ value: { ...(value as object) } }),
      (error: BadRequestException) => ({ error: (error.getResponse() as { message: unknown }).message }),
    );

  it.each([
    [OpenViduTokenRequestDto, { roomName: 'r', participantName: 'p' }],
    [OpenViduTokenRequestDto, { roomName: '', participantName: 'p' }],
    [OpenViduTokenRequestDto, { roomName: 'r', participantName: 'x'.repeat(300) }],
    [OpenViduTokenRequestDto, { roomName: ['r'], participantName: 'p', other: 1 }],
    [
      StandardTokenRequestDto,
      { room_name: 'r', participant_identity: 'i', participant_attributes: { a: 'b' }, room_config: { agents: [] } },
    ],
    [StandardTokenRequestDto, { participant_attributes: { a: 1 } }],
    [StandardTokenRequestDto, { room_config: 'x', participant_metadata: 3 }],
    [StandardTokenRequestDto, {}],
  ])('accepts and refuses a JSON object exactly as the generic path does (case %#)', async (dto, body) => {
    const ours = tokenValidationPipe(dto);
    const [mine, theirs] = await Promise.all([outcome(ours, body), outcome(reference(dto), body)]);
    if ('error' in theirs) {
      const all = theirs.error as string[];
      expect(mine).toEqual({ error: all.includes(OPENVIDU_REQUIRED_MESSAGE) ? OPENVIDU_REQUIRED_MESSAGE : all[0] });
    } else {
      expect(mine).toEqual(theirs);
    }
  });

  it('keeps a `__proto__` key from changing the prototype of the body or of its nested values', async () => {
    const body = JSON.parse(
      '{"room_name":"r","__proto__":{"polluted":1},"room_config":{"__proto__":{"polluted":2},"agents":[]}}',
    ) as object;
    const result = (await tokenValidationPipe(StandardTokenRequestDto).transform(body, { type: 'body', metatype: Object })) as Record<
      string,
      unknown
    >;
    expect(result).toBeInstanceOf(StandardTokenRequestDto);
    expect(result.polluted).toBeUndefined();
    const roomConfig = result.room_config as Record<string, unknown>;
    expect(Object.getPrototypeOf(roomConfig)).toBe(Object.prototype);
    expect(roomConfig.polluted).toBeUndefined();
    expect(Object.keys(roomConfig)).toEqual(['agents']);
  });
});
