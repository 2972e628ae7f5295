import { type ArgumentMetadata, BadRequestException, type Type, ValidationPipe } from '@nestjs/common';
import { TrackSource } from 'livekit-server-sdk';
import { CreateLiveKitRoomDto } from './dto/create-room.dto';
import { MuteLiveKitTrackDto } from './dto/mute-track.dto';
import { SendLiveKitDataDto } from './dto/send-data.dto';
import { UpdateLiveKitParticipantDto } from './dto/update-participant.dto';
import { UpdateLiveKitRoomDto } from './dto/update-room.dto';
import { MAX_DATA_BYTES } from './livekit-room.constants';
import { createLiveKitParticipantsController, toParticipantUpdate } from './livekit-participants.controller';
import { createLiveKitRoomsController, decodeDataPayload } from './livekit-rooms.controller';
import { LiveKitAdminGuard } from './livekit-admin.guard';
import { LiveKitRoomBodyPipe, ParseTrackSidPipe } from './room-validation.pipe';

const BODY: ArgumentMetadata = { type: 'body', metatype: Object, data: undefined };

async function errorOf(dto: Type<object>, body: unknown): Promise<string> {
  const error = await new LiveKitRoomBodyPipe(dto).transform(body, BODY).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  const message = ((error as BadRequestException).getResponse() as { message: string | string[] }).message;
  return Array.isArray(message) ? message.join('; ') : message;
}

describe('admin body validation', () => {
  it.each<[string, Type<object>, unknown]>([
    ['create room', CreateLiveKitRoomDto, { name: 'r', emptyTimeout: 0, departureTimeout: 10, maxParticipants: 2, metadata: '' }],
    ['update room', UpdateLiveKitRoomDto, { metadata: '{"topic":"x"}' }],
    ['mute', MuteLiveKitTrackDto, { muted: false }],
    [
      'update participant',
      UpdateLiveKitParticipantDto,
      { name: 'A', attributes: { a: '' }, permission: { canPublishSources: ['microphone'] } },
    ],
    ['send data', SendLiveKitDataDto, { data: 'aGk=', encoding: 'base64', topic: 't', destinationIdentities: ['a'], reliable: false }],
  ])('accepts a valid %s body, as an instance of its DTO', async (_, dto, body) => {
    const value = await new LiveKitRoomBodyPipe(dto).transform(body, BODY);
    expect(value).toBeInstanceOf(dto);
    expect(value).toEqual(body);
  });

  it.each<[Type<object>, unknown, string]>([
    [CreateLiveKitRoomDto, {}, 'name must be a string'],
    [CreateLiveKitRoomDto, { name: '' }, 'name should not be empty'],
    [CreateLiveKitRoomDto, { name: 'x'.repeat(257) }, 'name must be shorter than or equal to 256 characters'],
    [CreateLiveKitRoomDto, { name: 'r', emptyTimeout: -1 }, 'emptyTimeout must not be less than 0'],
    [CreateLiveKitRoomDto, { name: 'r', maxParticipants: 1.5 }, 'maxParticipants must be an integer number'],
    [CreateLiveKitRoomDto, { name: 'r', departureTimeout: null }, 'departureTimeout must be an integer number'],
    [CreateLiveKitRoomDto, { name: 'r', metdata: 'typo' }, 'property metdata should not exist'],
    [UpdateLiveKitRoomDto, { metadata: 5 }, 'metadata must be a string'],
    [MuteLiveKitTrackDto, {}, 'muted must be a boolean value'],
    [MuteLiveKitTrackDto, { muted: 'true' }, 'muted must be a boolean value'],
    [UpdateLiveKitParticipantDto, { attributes: { a: 1 } }, 'attributes must be an object of strings'],
    [UpdateLiveKitParticipantDto, { permission: { canPublish: 'no' } }, 'permission.canPublish must be a boolean value'],
    [UpdateLiveKitParticipantDto, { permission: { recorder: true } }, 'property permission.recorder should not exist'],
    [
      UpdateLiveKitParticipantDto,
      { permission: { canPublishSources: ['webcam'] } },
      'each value in permission.canPublishSources must be one of',
    ],
    [UpdateLiveKitParticipantDto, { permission: 'all' }, 'permission must be an object'],
    [SendLiveKitDataDto, { data: '' }, 'data should not be empty'],
    [SendLiveKitDataDto, { data: 'x', encoding: 'hex' }, 'encoding must be one of the following values: utf8, base64'],
    [SendLiveKitDataDto, { data: 'x', destinationIdentities: [] }, 'destinationIdentities should not be empty'],
    [SendLiveKitDataDto, { data: 'x', destinationIdentities: [''] }, 'each value in destinationIdentities should not be empty'],
    [SendLiveKitDataDto, { data: 'x', reliable: 1 }, 'reliable must be a boolean value'],
  ])('%p refuses %j: %s', async (dto, body, message) => {
    expect(await errorOf(dto, body)).toContain(message);
  });

  it.each([[undefined], [null], ['text'], [[1]]])('refuses a body that is not a JSON object (%j)', async (body) => {
    expect(await errorOf(MuteLiveKitTrackDto, body)).toBe('body must be a JSON object');
  });

  it.each<[Type<object>, unknown, string]>([
    [
      UpdateLiveKitParticipantDto,
      JSON.parse(`{"permission":{"canPublishSources":${'['.repeat(6000)}${']'.repeat(6000)}}}`),
      'request body is nested too deeply (more than 32 levels)',
    ],
    [CreateLiveKitRoomDto, { name: 'r', metadata: new Array(10_000).fill('x') }, 'request body has too many values (more than 10000)'],
  ])('%p refuses a body over the bounds before Nest walks it', async (dto, body, message) => {
    expect(await errorOf(dto, body)).toBe(message);
  });

  it("declares the bodies as Object, so that a host's global ValidationPipe leaves them to ours", async () => {
    const hostPipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });
    const rooms = createLiveKitRoomsController(LiveKitAdminGuard, []);
    const participants = createLiveKitParticipantsController(LiveKitAdminGuard, []);
    for (const [controller, method, index] of [
      [rooms, 'create', 0],
      [rooms, 'update', 1],
      [rooms, 'sendData', 1],
      [participants, 'update', 2],
      [participants, 'muteTrack', 3],
    ] as const) {
      const types = Reflect.getMetadata('design:paramtypes', controller.prototype, method) as unknown[];
      expect([method, types[index]]).toEqual([method, Object]);
      const body = { muted: 'not validated by the host', extra: 1 };
      await expect(hostPipe.transform(body, BODY)).resolves.toBe(body);
    }
  });
});

describe('participant update', () => {
  it('refuses a body that changes nothing', () => {
    expect(() => toParticipantUpdate({})).toThrow('nothing to update: send name, metadata, attributes or permission');
  });

  it('maps source names to LiveKit track sources', () => {
    expect(toParticipantUpdate({ permission: { canPublish: true, canPublishSources: ['camera', 'screen_share_audio'] } })).toEqual({
      permission: { canPublish: true, canPublishSources: [TrackSource.CAMERA, TrackSource.SCREEN_SHARE_AUDIO] },
    });
    expect(toParticipantUpdate({ metadata: '' }).metadata).toBe('');
  });
});

describe('data payload', () => {
  it('decodes text as UTF-8 and base64 strictly', () => {
    expect(decodeDataPayload({ data: 'é' })).toEqual(Buffer.from([0xc3, 0xa9]));
    expect(decodeDataPayload({ data: 'AAEC', encoding: 'base64' })).toEqual(Buffer.from([0, 1, 2]));
    expect(() => decodeDataPayload({ data: 'AAE', encoding: 'base64' })).toThrow('data is not valid base64');
    expect(() => decodeDataPayload({ data: 'a b=', encoding: 'base64' })).toThrow('data is not valid base64');
  });

  it(`refuses more than ${MAX_DATA_BYTES} bytes after decoding`, () => {
    expect(decodeDataPayload({ data: 'x'.repeat(MAX_DATA_BYTES) })).toHaveLength(MAX_DATA_BYTES);
    expect(() => decodeDataPayload({ data: 'é'.repeat(MAX_DATA_BYTES / 2 + 1) })).toThrow(`data must be at most ${MAX_DATA_BYTES} bytes`);
  });
});

describe('ParseTrackSidPipe', () => {
  it('accepts track sids and refuses anything else', () => {
    expect(new ParseTrackSidPipe().transform('TR_AMRp46vQSEv7Ve')).toBe('TR_AMRp46vQSEv7Ve');
    for (const bad of ['PA_x', 'TR_', 'TR_a-b', '../x']) expect(() => new ParseTrackSidPipe().transform(bad)).toThrow(/trackSid must be/);
  });
});
