import { type Room, RoomEvent } from '@livekit/rtc-node';
import { HttpStatus, type INestApplication, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  LiveKitErrorResponseFilter,
  LiveKitModule,
  LiveKitParticipantNotFoundException,
  LiveKitRoomModule,
  LiveKitRoomNotFoundException,
  LiveKitRoomRequestRejectedException,
  LiveKitRoomService,
  LiveKitTokenModule,
  LiveKitTrackNotFoundException,
} from '../src';
import type { HttpAdapterName } from '../src/server/config/server.config';
import { describeWithLiveKitServer, type LiveKitServer, startLiveKitServer } from './support/livekit-server';
import { nestedArrays } from './support/hostile-json';
import { disposeRtc, joinRoom, leave, publishAudioTrack } from './support/rtc-participant';
import { createApp } from './support/create-app';
import { spawnStandalone, waitUntilListening } from './support/spawn-server';
import { ADAPTERS } from './support/standalone-app';
import { eventually } from './support/eventually';

const API_KEY = 'rooms-e2e-key';
const API_SECRET = 'rooms-e2e-secret-0123456789abcdef0123456789abcdef';
const ADMIN_TOKEN = 'rooms-e2e-admin-token-0123456789abcdef0123';

/** Records what a joined participant observes. */
function observe(room: Room) {
  const seen = {
    data: [] as { text: string; bytes: number[]; topic?: string; from?: string }[],
    muted: [] as string[],
    attributes: [] as { identity: string; changed: Record<string, string> }[],
    disconnected: false,
  };
  room
    .on(RoomEvent.DataReceived, (payload, from, _kind, topic) =>
      seen.data.push({ text: Buffer.from(payload).toString('utf8'), bytes: [...payload], topic, from: from?.identity }),
    )
    .on(RoomEvent.TrackMuted, (publication) => seen.muted.push(publication.sid ?? ''))
    .on(RoomEvent.ParticipantAttributesChanged, (changed, who) => seen.attributes.push({ identity: who.identity, changed }))
    .on(RoomEvent.Disconnected, () => (seen.disconnected = true));
  return seen;
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

jest.setTimeout(60_000);

let livekit: LiveKitServer;
/** Every participant joined by the suite; they leave before rtc-node is disposed and the server stops. */
const joined: Room[] = [];

/** A host-like app: LiveKit options, the token endpoints, the admin routes, a strict global ValidationPipe. */
async function startApp(adapter: HttpAdapterName, room: Parameters<typeof LiveKitRoomModule.forRoot>[0] = {}) {
  return createApp(
    adapter,
    [
      LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: livekit.url }),
      LiveKitTokenModule.forRoot(),
      LiveKitRoomModule.forRoot({ routes: true, adminToken: ADMIN_TOKEN, ...room }),
    ],
    {},
    (app) => {
      app.useGlobalFilters(new LiveKitErrorResponseFilter(app.get(HttpAdapterHost)));
      app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
    },
  );
}

/** Joins `room` as `identity`, a real WebRTC participant, with a token from our own `POST /token`. */
async function join(app: INestApplication, room: string, identity: string): Promise<Room> {
  const res = await request(app.getHttpServer()).post('/token').send({ roomName: room, participantName: identity }).expect(200);
  const participant = await joinRoom(livekit.url, (res.body as { token: string }).token);
  joined.push(participant);
  return participant;
}

describeWithLiveKitServer('room moderation', () => {
  beforeAll(async () => {
    livekit = await startLiveKitServer({ keys: { [API_KEY]: API_SECRET } });
  }, 120_000);

  afterAll(async () => {
    for (const room of joined) await leave(room).catch(() => undefined);
    await disposeRtc();
    await livekit?.stop();
  }, 60_000);

  describe('LiveKitRoomService against a real LiveKit server', () => {
    let app: INestApplication;
    let rooms: LiveKitRoomService;

    beforeAll(async () => {
      ({ app } = await startApp('express'));
      rooms = app.get(LiveKitRoomService);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('creates, lists, reads, updates and deletes a room', async () => {
      const name = unique('svc-room');
      const created = await rooms.createRoom({ name, emptyTimeout: 120, maxParticipants: 7, metadata: 'v1' });
      expect(created).toMatchObject({ name, emptyTimeout: 120, maxParticipants: 7, metadata: 'v1' });
      expect(created.sid).toMatch(/^RM_/);
      expect((await rooms.createRoom({ name })).sid).toBe(created.sid);
      expect((await rooms.listRooms()).map((r) => r.name)).toContain(name);
      expect((await rooms.listRooms([name, 'no-such-room'])).map((r) => r.name)).toEqual([name]);
      expect((await rooms.updateRoomMetadata(name, 'v2')).metadata).toBe('v2');
      expect((await rooms.getRoom(name)).metadata).toBe('v2');
      await expect(rooms.listParticipants(name)).resolves.toEqual([]);
      await rooms.deleteRoom(name);
      await eventually(
        () => rooms.listRooms([name]),
        (list) => list.length === 0,
        `room ${name} to end`,
      );
      await expect(rooms.getRoom(name)).rejects.toEqual(new LiveKitRoomNotFoundException(name));
      await expect(rooms.deleteRoom(name)).rejects.toBeInstanceOf(LiveKitRoomNotFoundException);
      await expect(rooms.updateRoomMetadata(name, 'x')).rejects.toBeInstanceOf(LiveKitRoomNotFoundException);
    });

    it('moderates real participants: list, get, mute, update, send data, remove', async () => {
      const room = unique('svc-call');
      const alice = await join(app, room, 'alice');
      const bob = await join(app, room, 'bob');
      const bobSees = observe(bob);
      const trackSid = await publishAudioTrack(alice);

      const participants = await eventually(
        () => rooms.listParticipants(room),
        (list) => list.length === 2 && list.some((p) => p.identity === 'alice' && p.tracks.some((t) => t.sid === trackSid)),
        'alice and bob, with alice publishing',
      );
      expect(participants.map((p) => p.identity).sort()).toEqual(['alice', 'bob']);
      const before = await rooms.getParticipant(room, 'alice');
      expect(before.tracks).toEqual([expect.objectContaining({ sid: trackSid, muted: false })]);

      // mute a real published audio track: livekit-server and the other participant see it
      expect(await rooms.mutePublishedTrack(room, 'alice', trackSid, true)).toMatchObject({ sid: trackSid, muted: true });
      await eventually(
        () => rooms.getParticipant(room, 'alice'),
        (p) => p.tracks[0]?.muted === true,
        'the track muted on the server',
      );
      await eventually(
        () => bobSees.muted,
        (sids) => sids.includes(trackSid),
        'bob to see the track muted',
      );
      // livekit-server's default configuration refuses remote unmute; the error says how to allow it
      const unmute = await rooms.mutePublishedTrack(room, 'alice', trackSid, false).catch((e: unknown) => e);
      expect(unmute).toBeInstanceOf(LiveKitRoomRequestRejectedException);
      expect((unmute as LiveKitRoomRequestRejectedException).getStatus()).toBe(412);
      expect((unmute as Error).message).toContain('enable_remote_unmute');

      // metadata, name and attributes
      const updated = await rooms.updateParticipant(room, 'alice', {
        name: 'Alice A.',
        metadata: '{"hand":"up"}',
        attributes: { role: 'speaker' },
      });
      expect(updated).toMatchObject({ name: 'Alice A.', metadata: '{"hand":"up"}', attributes: { role: 'speaker' } });
      expect(await rooms.getParticipant(room, 'alice')).toMatchObject({
        name: 'Alice A.',
        metadata: '{"hand":"up"}',
        attributes: { role: 'speaker' },
      });
      await eventually(
        () => bobSees.attributes,
        (changes) => changes.some((c) => c.identity === 'alice' && c.changed.role === 'speaker'),
        'bob to see alice’s attributes',
      );
      await rooms.updateParticipant(room, 'alice', { attributes: { team: 'blue' } });
      expect((await rooms.getParticipant(room, 'alice')).attributes).toEqual({ role: 'speaker', team: 'blue' });

      // permissions are merged into the current ones
      const restricted = await rooms.updateParticipant(room, 'alice', { permission: { canPublishData: false } });
      expect(restricted.permission).toMatchObject({ canPublishData: false, canPublish: true, canSubscribe: true });
      expect((await rooms.getParticipant(room, 'alice')).permission).toMatchObject({ canPublishData: false, canPublish: true });

      // data reaches a joined participant, to everyone or to chosen identities
      await rooms.sendData(room, 'hello room', { topic: 'announcements' });
      await rooms.sendData(room, new Uint8Array([0, 1, 254, 255]), { destinationIdentities: ['bob'], topic: 'bytes', reliable: true });
      const data = await eventually(
        () => bobSees.data,
        (d) => d.length >= 2,
        'bob to receive both messages',
      );
      expect(data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ text: 'hello room', topic: 'announcements' }),
          expect.objectContaining({ bytes: [0, 1, 254, 255], topic: 'bytes' }),
        ]),
      );

      // removal disconnects the participant
      await rooms.removeParticipant(room, 'bob');
      await eventually(() => bobSees.disconnected, Boolean, 'bob to be disconnected');
      await eventually(
        () => rooms.listParticipants(room),
        (list) => list.every((p) => p.identity !== 'bob'),
        'bob to leave the list',
      );
    });

    it('throws typed 404s for rooms, participants and tracks that do not exist', async () => {
      const room = unique('svc-404');
      await join(app, room, 'carol');
      await eventually(
        () => rooms.listParticipants(room).catch(() => []),
        (list) => list.length === 1,
        'carol to join',
      );
      const missingRoom = unique('nowhere');

      await expect(rooms.listParticipants(missingRoom)).rejects.toEqual(new LiveKitRoomNotFoundException(missingRoom));
      await expect(rooms.getParticipant(missingRoom, 'carol')).rejects.toEqual(new LiveKitRoomNotFoundException(missingRoom));
      await expect(rooms.getParticipant(room, 'dave')).rejects.toEqual(new LiveKitParticipantNotFoundException(room, 'dave'));
      await expect(rooms.removeParticipant(room, 'dave')).rejects.toBeInstanceOf(LiveKitParticipantNotFoundException);
      await expect(rooms.updateParticipant(room, 'dave', { metadata: 'm' })).rejects.toBeInstanceOf(LiveKitParticipantNotFoundException);
      await expect(rooms.updateParticipant(room, 'dave', { permission: { canPublish: false } })).rejects.toBeInstanceOf(
        LiveKitParticipantNotFoundException,
      );
      await expect(rooms.mutePublishedTrack(room, 'carol', 'TR_doesnotexist', true)).rejects.toEqual(
        new LiveKitTrackNotFoundException(room, 'carol', 'TR_doesnotexist'),
      );
      const started = Date.now();
      await expect(rooms.mutePublishedTrack(room, 'dave', 'TR_x', true)).rejects.toBeInstanceOf(LiveKitParticipantNotFoundException);
      await expect(rooms.sendData(missingRoom, 'x')).rejects.toBeInstanceOf(LiveKitRoomNotFoundException);
      // answered at once, not after livekit-server's 3 s internal timeout
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  describe.each(ADAPTERS)('admin endpoints on %s against a real LiveKit server', (adapter) => {
    let app: INestApplication;
    const admin = () => ({ Authorization: `Bearer ${ADMIN_TOKEN}` });
    const http = () => request(app.getHttpServer());
    const path = (...segments: string[]) => `/livekit/rooms${segments.map((s) => `/${encodeURIComponent(s)}`).join('')}`;

    beforeAll(async () => {
      ({ app } = await startApp(adapter));
    });
    afterAll(async () => {
      await app?.close();
    });

    describe('admin token', () => {
      // Every row has its three cells: with a missing one, Jest would pass its `done` callback as the body
      // and wait for it to be called (each such test then hung until its timeout).
      const routes: [string, string, object | undefined][] = [
        ['post', '/livekit/rooms', { name: 'r' }],
        ['get', '/livekit/rooms', undefined],
        ['get', '/livekit/rooms/r', undefined],
        ['patch', '/livekit/rooms/r', { metadata: 'm' }],
        ['delete', '/livekit/rooms/r', undefined],
        ['post', '/livekit/rooms/r/data', { data: 'x' }],
        ['get', '/livekit/rooms/r/participants', undefined],
        ['get', '/livekit/rooms/r/participants/a', undefined],
        ['patch', '/livekit/rooms/r/participants/a', { metadata: 'm' }],
        ['delete', '/livekit/rooms/r/participants/a', undefined],
        ['patch', '/livekit/rooms/r/participants/a/tracks/TR_x', { muted: true }],
      ];

      it.each(routes)('%s %s answers 401 without a token, with a wrong one, or another scheme', async (method, url, body) => {
        for (const authorization of [undefined, `Bearer ${ADMIN_TOKEN}x`, 'Bearer nope', `Basic ${ADMIN_TOKEN}`, ADMIN_TOKEN]) {
          let req = http()[method as 'get'](url);
          if (authorization !== undefined) req = req.set('Authorization', authorization);
          const res = await (body ? req.send(body) : req);
          expect([authorization, res.status]).toEqual([authorization, 401]);
          expect(res.body).toEqual({ errorMessage: expect.stringMatching(/^admin token (required|invalid)/) });
          expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="livekit-admin"/);
        }
      });

      it('checks the token before the body', async () => {
        const res = await http().post('/livekit/rooms').send({ name: 42 }).expect(401);
        expect(res.body.errorMessage).toContain('admin token required');
      });
    });

    it('creates, lists, reads, updates and deletes a room', async () => {
      const name = unique(`${adapter}-room`);
      const created = await http()
        .post(path())
        .set(admin())
        .send({ name, emptyTimeout: 120, maxParticipants: 3, metadata: 'v1' })
        .expect(201);
      expect(created.body).toMatchObject({ name, emptyTimeout: 120, maxParticipants: 3, metadata: 'v1', numParticipants: 0 });
      expect(created.body.sid).toMatch(/^RM_/);
      expect(created.body.creationTime).toEqual(expect.any(String));
      expect(created.body).not.toHaveProperty('turnPassword');

      const list = await http().get(path()).set(admin()).expect(200);
      expect((list.body as { rooms: { name: string }[] }).rooms.map((r) => r.name)).toContain(name);
      expect((await http().get(path(name)).set(admin()).expect(200)).body).toMatchObject({ name, sid: created.body.sid });
      expect((await http().patch(path(name)).set(admin()).send({ metadata: 'v2' }).expect(200)).body.metadata).toBe('v2');
      expect((await http().get(path(name, 'participants')).set(admin()).expect(200)).body).toEqual({ participants: [] });

      const deleted = await http().delete(path(name)).set(admin()).expect(204);
      expect(deleted.text).toBe('');
      await eventually(
        async () => (await http().get(path(name)).set(admin())).status,
        (s) => s === 404,
        'the room to be gone',
      );
      expect((await http().delete(path(name)).set(admin()).expect(404)).body).toEqual({ errorMessage: `room "${name}" does not exist` });
    });

    it('moderates real participants: list, get, mute, update, send data, remove, end the room', async () => {
      const room = unique(`${adapter}-call`);
      const alice = await join(app, room, 'alice');
      const bob = await join(app, room, 'bob');
      const aliceSees = observe(alice);
      const bobSees = observe(bob);
      const trackSid = await publishAudioTrack(alice);

      const listed = await eventually(
        async () =>
          (await http().get(path(room, 'participants')).set(admin()).expect(200)).body as {
            participants: { identity: string; tracks: { sid: string }[] }[];
          },
        (b) => b.participants.length === 2 && b.participants.some((p) => p.tracks.some((t) => t.sid === trackSid)),
        'both participants, alice publishing',
      );
      expect(listed.participants.map((p) => p.identity).sort()).toEqual(['alice', 'bob']);
      const got = await http()
        .get(path(room, 'participants', 'alice'))
        .set(admin())
        .expect(200);
      expect(got.body).toMatchObject({
        identity: 'alice',
        state: 'ACTIVE',
        tracks: [{ sid: trackSid, type: 'AUDIO', source: 'MICROPHONE', muted: false }],
      });

      // mute the published audio track
      const muted = await http()
        .patch(path(room, 'participants', 'alice', 'tracks', trackSid))
        .set(admin())
        .send({ muted: true })
        .expect(200);
      expect(muted.body).toMatchObject({ sid: trackSid, muted: true, type: 'AUDIO' });
      await eventually(
        async () =>
          (
            await http()
              .get(path(room, 'participants', 'alice'))
              .set(admin())
          ).body.tracks[0].muted as boolean,
        (m) => m,
        'the track to show muted',
      );
      await eventually(
        () => bobSees.muted,
        (sids) => sids.includes(trackSid),
        'bob to see the track muted',
      );
      const unmute = await http()
        .patch(path(room, 'participants', 'alice', 'tracks', trackSid))
        .set(admin())
        .send({ muted: false })
        .expect(412);
      expect(unmute.body.errorMessage).toContain('remote unmute not enabled. Fix: set `room: { enable_remote_unmute: true }`');

      // name, metadata, attributes, permissions
      const patched = await http()
        .patch(path(room, 'participants', 'alice'))
        .set(admin())
        .send({ name: 'Alice A.', metadata: '{"hand":"up"}', attributes: { role: 'speaker' }, permission: { canPublishData: false } })
        .expect(200);
      expect(patched.body).toMatchObject({ name: 'Alice A.', metadata: '{"hand":"up"}', attributes: { role: 'speaker' } });
      expect(patched.body.permission).toMatchObject({ canPublishData: false, canPublish: true, canSubscribe: true });
      const visible = await http()
        .get(path(room, 'participants', 'alice'))
        .set(admin())
        .expect(200);
      expect(visible.body).toMatchObject({ name: 'Alice A.', metadata: '{"hand":"up"}', attributes: { role: 'speaker' } });
      expect(visible.body.permission).toMatchObject({ canPublishData: false, canPublish: true });
      await eventually(
        () => bobSees.attributes,
        (c) => c.some((x) => x.identity === 'alice' && x.changed.role === 'speaker'),
        'bob to see the attributes',
      );
      await http()
        .patch(path(room, 'participants', 'alice'))
        .set(admin())
        .send({ permission: { canPublishSources: ['camera'] } })
        .expect(200);
      const sources = await http()
        .get(path(room, 'participants', 'alice'))
        .set(admin())
        .expect(200);
      expect(sources.body.permission).toMatchObject({ canPublishSources: ['CAMERA'], canPublishData: false, canPublish: true });

      // data to everyone, then bytes to alice only
      await http().post(path(room, 'data')).set(admin()).send({ data: 'hello everyone', topic: 'chat' }).expect(204);
      await http()
        .post(path(room, 'data'))
        .set(admin())
        .send({
          data: Buffer.from([0, 1, 254, 255]).toString('base64'),
          encoding: 'base64',
          destinationIdentities: ['alice'],
          reliable: true,
        })
        .expect(204);
      await eventually(
        () => bobSees.data,
        (d) => d.some((m) => m.text === 'hello everyone' && m.topic === 'chat'),
        'bob to receive the message',
      );
      await eventually(
        () => aliceSees.data,
        (d) => d.some((m) => m.bytes.join() === '0,1,254,255') && d.some((m) => m.text === 'hello everyone'),
        'alice to receive both messages',
      );

      // remove bob, then end the room: alice is disconnected too
      await http()
        .delete(path(room, 'participants', 'bob'))
        .set(admin())
        .expect(204);
      await eventually(() => bobSees.disconnected, Boolean, 'bob to be disconnected');
      await eventually(
        async () =>
          (
            await http()
              .get(path(room, 'participants', 'bob'))
              .set(admin())
          ).status,
        (s) => s === 404,
        'bob gone',
      );
      await http().delete(path(room)).set(admin()).expect(204);
      await eventually(() => aliceSees.disconnected, Boolean, 'alice to be disconnected when the room ends');
    });

    it('answers 404 {errorMessage} for rooms, participants and tracks that do not exist', async () => {
      const room = unique(`${adapter}-404`);
      await join(app, room, 'carol');
      await eventually(
        async () => (await http().get(path(room, 'participants')).set(admin())).body.participants?.length as number,
        (n) => n === 1,
        'carol',
      );
      const nowhere = unique('nowhere');
      const cases: [string, string, object | undefined, string][] = [
        ['get', path(nowhere), undefined, `room "${nowhere}" does not exist`],
        ['patch', path(nowhere), { metadata: 'm' }, `room "${nowhere}" does not exist`],
        ['delete', path(nowhere), undefined, `room "${nowhere}" does not exist`],
        ['post', path(nowhere, 'data'), { data: 'x' }, `room "${nowhere}" does not exist`],
        ['get', path(nowhere, 'participants'), undefined, `room "${nowhere}" does not exist`],
        ['get', path(nowhere, 'participants', 'carol'), undefined, `room "${nowhere}" does not exist`],
        ['get', path(room, 'participants', 'dave'), undefined, `participant "dave" is not in room "${room}"`],
        ['patch', path(room, 'participants', 'dave'), { metadata: 'm' }, `participant "dave" is not in room "${room}"`],
        ['delete', path(room, 'participants', 'dave'), undefined, `participant "dave" is not in room "${room}"`],
        ['patch', path(room, 'participants', 'dave', 'tracks', 'TR_x'), { muted: true }, `participant "dave" is not in room "${room}"`],
        [
          'patch',
          path(room, 'participants', 'carol', 'tracks', 'TR_nope'),
          { muted: true },
          `participant "carol" of room "${room}" has no track "TR_nope"`,
        ],
      ];
      for (const [method, url, body, message] of cases) {
        const req = http()[method as 'get'](url).set(admin());
        const res = await (body ? req.send(body) : req);
        expect([method, url, res.status, res.body]).toEqual([method, url, 404, { errorMessage: message }]);
      }
    });

    it('handles room names that need URL encoding', async () => {
      const name = `café / ${randomUUID().slice(0, 4)}?#`;
      await http().post(path()).set(admin()).send({ name }).expect(201);
      expect((await http().get(path(name)).set(admin()).expect(200)).body.name).toBe(name);
      await http().delete(path(name)).set(admin()).expect(204);
    });

    it.each<[string, string, string, unknown, string | RegExp]>([
      ['create without name', 'post', '/livekit/rooms', {}, 'name must be a string'],
      ['create with a typo', 'post', '/livekit/rooms', { name: 'r', metdata: 'x' }, 'property metdata should not exist'],
      ['create with a negative timeout', 'post', '/livekit/rooms', { name: 'r', emptyTimeout: -5 }, 'emptyTimeout must not be less than 0'],
      ['create with a JSON array', 'post', '/livekit/rooms', [{ name: 'r' }], 'body must be a JSON object'],
      ['room metadata that is not a string', 'patch', '/livekit/rooms/r', { metadata: 1 }, 'metadata must be a string'],
      [
        'an empty participant update',
        'patch',
        '/livekit/rooms/r/participants/a',
        {},
        'nothing to update: send name, metadata, attributes or permission',
      ],
      [
        'numeric attributes',
        'patch',
        '/livekit/rooms/r/participants/a',
        { attributes: { a: 1 } },
        'attributes must be an object of strings',
      ],
      [
        'an unknown permission',
        'patch',
        '/livekit/rooms/r/participants/a',
        { permission: { admin: true } },
        'property permission.admin should not exist',
      ],
      [
        'an unknown source',
        'patch',
        '/livekit/rooms/r/participants/a',
        { permission: { canPublishSources: ['tv'] } },
        /permission\.canPublishSources must be one of/,
      ],
      [
        'a 6,000-deep participant update',
        'patch',
        '/livekit/rooms/r/participants/a',
        // Raw text: superagent's serializer gives up on this depth.
        `{"permission":{"canPublishSources":${nestedArrays(6000)}}}`,
        'request body is nested too deeply (more than 32 levels)',
      ],
      [
        'a room with 10,000 metadata values',
        'post',
        '/livekit/rooms',
        { name: 'r', metadata: new Array(10_000).fill(0) },
        'request body has too many values (more than 10000)',
      ],
      ['muted as a string', 'patch', '/livekit/rooms/r/participants/a/tracks/TR_x', { muted: 'yes' }, 'muted must be a boolean value'],
      [
        'a bad track sid',
        'patch',
        '/livekit/rooms/r/participants/a/tracks/PA_x',
        { muted: true },
        'trackSid must be a LiveKit track sid (TR_…), got "PA_x"',
      ],
      ['data without data', 'post', '/livekit/rooms/r/data', { topic: 't' }, 'data must be a string'],
      ['invalid base64', 'post', '/livekit/rooms/r/data', { data: '!!!', encoding: 'base64' }, 'data is not valid base64'],
      [
        'too much data',
        'post',
        '/livekit/rooms/r/data',
        { data: 'x'.repeat(15 * 1024 + 1) },
        'data must be at most 15360 bytes, got 15361',
      ],
      [
        'no destinations',
        'post',
        '/livekit/rooms/r/data',
        { data: 'x', destinationIdentities: [] },
        'destinationIdentities should not be empty',
      ],
    ])('answers 400 {errorMessage} for %s', async (_, method, url, body, message) => {
      const res = await http()
        [method as 'post'](url)
        .set(admin())
        .set('Content-Type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body))
        .expect(400);
      expect(res.body).toEqual({ errorMessage: expect.stringMatching(typeof message === 'string' ? escape(message) : message) });
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await http().post('/livekit/rooms').set(admin()).set('Content-Type', 'application/json').send('{"name":').expect(400);
      expect(res.body).toEqual({ errorMessage: expect.any(String) });
    });
  });

  function escape(text: string): RegExp {
    return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }

  describe('admin endpoints when livekit-server cannot serve them', () => {
    it('answers 502 when livekit-server refuses our credentials, without echoing its message', async () => {
      const { app } = await createApp('express', [
        LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: `${API_SECRET}-wrong`, url: livekit.url }),
        LiveKitRoomModule.forRoot({ routes: true, adminToken: ADMIN_TOKEN }),
      ]);
      try {
        const res = await request(app.getHttpServer()).get('/livekit/rooms').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(502);
        expect(res.body.errorMessage).toMatch(/^LiveKit server refused our API credentials\. Fix:/);
        expect(res.body.errorMessage).not.toContain('eyJ');
      } finally {
        await app.close();
      }
    });

    it('answers 503 when livekit-server is not reachable', async () => {
      const { app } = await createApp('express', [
        LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: livekit.url }),
        LiveKitRoomModule.forRoot({ routes: true, adminToken: ADMIN_TOKEN, apiUrl: 'http://127.0.0.1:9', requestTimeoutMs: 3000 }),
      ]);
      try {
        const res = await request(app.getHttpServer()).get('/livekit/rooms').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
        expect([res.status, res.body]).toEqual([
          HttpStatus.SERVICE_UNAVAILABLE,
          { errorMessage: 'LiveKit server unavailable: not reachable' },
        ]);
      } finally {
        await app.close();
      }
    });
  });

  describe('the standalone server', () => {
    const env = () => ({
      LIVEKIT_API_KEY: API_KEY,
      LIVEKIT_API_SECRET: API_SECRET,
      LIVEKIT_URL: livekit.url,
    });

    it('serves the admin endpoints with ADMIN_API_ENABLED=true and ADMIN_API_TOKEN, and not without', async () => {
      const enabled = await spawnStandalone({ ...env(), ADMIN_API_ENABLED: 'true', ADMIN_API_TOKEN: ADMIN_TOKEN });
      const disabled = await spawnStandalone(env());
      try {
        await Promise.all([waitUntilListening(enabled), waitUntilListening(disabled)]);
        const base = `http://127.0.0.1:${enabled.port}/livekit/rooms`;
        expect((await fetch(base)).status).toBe(401);
        const name = unique('standalone');
        const created = await fetch(base, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name }),
        });
        expect(created.status).toBe(201);
        const got = await fetch(`${base}/${name}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
        expect(await got.json()).toMatchObject({ name });
        await fetch(`${base}/${name}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });

        const off = await fetch(`http://127.0.0.1:${disabled.port}/livekit/rooms`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
        expect(off.status).toBe(404);
      } finally {
        await Promise.all([enabled.stop(), disabled.stop()]);
      }
    }, 60_000);

    it('refuses to boot in production with a short ADMIN_API_TOKEN, naming it', async () => {
      const server = await spawnStandalone({ ...env(), NODE_ENV: 'production', ADMIN_API_ENABLED: 'true', ADMIN_API_TOKEN: 'short' });
      try {
        const code = await server.exited;
        expect(code).toBe(1);
        expect(server.output()).toContain('ADMIN_API_TOKEN holds a token shorter than 32 characters');
        expect(server.output()).not.toContain('"short"');
      } finally {
        await server.stop();
      }
    }, 60_000);
  });
});
