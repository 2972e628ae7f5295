import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { TokenVerifier } from 'livekit-server-sdk';
import request from 'supertest';
import { largestArrayBody, nestedArrays } from './support/hostile-json';
import { ADAPTERS, startStandalone, TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';

const REQUIRED = 'roomName and participantName are required';

describe.each(ADAPTERS)('token endpoints on %s', (adapter) => {
  let app: INestApplication;
  let close: () => Promise<void>;
  const verifier = new TokenVerifier(TEST_API_KEY, TEST_API_SECRET);

  beforeAll(async () => {
    ({ app, close } = await startStandalone(adapter, { JSON_BODY_LIMIT: '4096', LIVEKIT_TOKEN_TTL: '10m' }));
  });
  afterAll(() => close());

  const postToken = (body: unknown, type = 'application/json') =>
    request(app.getHttpServer())
      .post('/token')
      .set('Content-Type', type)
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('answers an unknown route 404 without echoing its query', async () => {
    const res = await request(app.getHttpServer()).get('/tokens?access_token=eyJsecret').expect(404);
    expect(res.body).toEqual({ errorMessage: 'Cannot GET /tokens' });
  });

  describe('POST /token (OpenVidu contract)', () => {
    it('answers 200 {token} joining the named room as the named identity', async () => {
      const res = await postToken({ roomName: 'room-1', participantName: 'alice' }).expect(200);
      expect(Object.keys(res.body)).toEqual(['token']);
      const claims = await verifier.verify(res.body.token);
      expect(claims.sub).toBe('alice');
      expect(claims.video).toMatchObject({ roomJoin: true, room: 'room-1', canPublish: true, canSubscribe: true, canPublishData: true });
      expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(600);
    });

    it('ignores unknown fields as the tutorial does', async () => {
      const res = await postToken({ roomName: 'r', participantName: 'p', extra: 1 }).expect(200);
      expect(res.body.token).toEqual(expect.any(String));
    });

    it.each([
      ['missing roomName', { participantName: 'p' }, REQUIRED],
      ['missing participantName', { roomName: 'r' }, REQUIRED],
      ['empty body object', {}, REQUIRED],
      ['empty roomName', { roomName: '', participantName: 'p' }, REQUIRED],
      ['null participantName', { roomName: 'r', participantName: null }, REQUIRED],
      ['numeric roomName', { roomName: 42, participantName: 'p' }, 'roomName must be a string'],
      ['object participantName', { roomName: 'r', participantName: { $ne: 1 } }, 'participantName must be a string'],
      ['array roomName', { roomName: ['a'], participantName: 'p' }, 'roomName must be a string'],
      ['boolean participantName', { roomName: 'r', participantName: true }, 'participantName must be a string'],
      ['over-long roomName', { roomName: 'x'.repeat(257), participantName: 'p' }, 'roomName must be at most 256 characters'],
      ['over-long participantName', { roomName: 'r', participantName: 'x'.repeat(257) }, 'participantName must be at most 256 characters'],
    ])('answers 400 {errorMessage} for %s', async (_, body, message) => {
      const res = await postToken(body).expect(400);
      expect(res.body).toEqual({ errorMessage: message });
    });

    it.each([
      ['malformed JSON', '{"roomName": "r",'],
      ['a JSON string', '"hello"'],
      ['a JSON array', '[1,2]'],
      ['JSON null', 'null'],
    ])('answers 400 {errorMessage} for %s', async (_, raw) => {
      const res = await postToken(raw).expect(400);
      expect(res.body).toEqual({ errorMessage: expect.any(String) });
    });

    it('answers 400 when no JSON body is sent', async () => {
      const res = await request(app.getHttpServer()).post('/token').expect(400);
      expect(res.body).toEqual({ errorMessage: REQUIRED });
    });

    it('answers 413 {errorMessage} for a body over the limit', async () => {
      const res = await postToken({ roomName: 'r', participantName: 'x'.repeat(5000) }).expect(413);
      expect(res.body).toEqual({ errorMessage: expect.any(String) });
    });

    it('never answers 5xx, and issues a token only for two valid names (property-based)', async () => {
      const value = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
      );
      const body = fc.record({ roomName: value, participantName: value }, { requiredKeys: [] });
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const res = await postToken(b);
          const valid = [b.roomName, b.participantName].every((v) => typeof v === 'string' && v.length > 0 && v.length <= 256);
          if (valid) {
            expect(res.status).toBe(200);
            const claims = await verifier.verify(res.body.token);
            expect(claims.sub).toBe(b.participantName);
            expect(claims.video?.room).toBe(b.roomName);
          } else {
            expect(res.status).toBe(400);
            expect(res.body).toEqual({ errorMessage: expect.any(String) });
          }
        }),
        { numRuns: 150 },
      );
    }, 60_000);
  });

  describe('POST /livekit/token (LiveKit standard endpoint)', () => {
    const post = (body: unknown) =>
      request(app.getHttpServer())
        .post('/livekit/token')
        .send(body as object);

    it('answers 201 {server_url, participant_token} with every field applied', async () => {
      const res = await post({
        room_name: 'std-room',
        participant_identity: 'bob',
        participant_name: 'Bob',
        participant_metadata: '{"role":"host"}',
        participant_attributes: { team: 'blue' },
        room_config: { agents: [{ agent_name: 'assistant', metadata: 'm' }], max_participants: 5 },
      }).expect(201);
      expect(res.body.server_url).toBe('ws://127.0.0.1:7880');
      const claims = await verifier.verify(res.body.participant_token);
      expect(claims).toMatchObject({ sub: 'bob', name: 'Bob', metadata: '{"role":"host"}', attributes: { team: 'blue' } });
      expect(claims.video).toMatchObject({ roomJoin: true, room: 'std-room' });
      expect(claims.roomConfig).toMatchObject({ agents: [{ agentName: 'assistant', metadata: 'm' }], maxParticipants: 5 });
    });

    it('generates a room and an identity when the body is empty', async () => {
      const res = await post({}).expect(201);
      const claims = await verifier.verify(res.body.participant_token);
      expect(claims.sub).toMatch(/^participant-/);
      expect(claims.video?.room).toMatch(/^room-/);
    });

    it('reads a POST without a body as an empty request (no 500)', async () => {
      const res = await request(app.getHttpServer()).post('/livekit/token').expect(201);
      expect((await verifier.verify(res.body.participant_token)).sub).toMatch(/^participant-/);
    });

    it('falls back to participant_name as the identity', async () => {
      const res = await post({ room_name: 'r', participant_name: 'carol' }).expect(201);
      expect((await verifier.verify(res.body.participant_token)).sub).toBe('carol');
    });

    it.each([
      [{ room_name: 5 }, 'room_name'],
      [{ participant_identity: '' }, 'participant_identity'],
      [{ participant_attributes: { a: 1 } }, 'participant_attributes'],
      [{ participant_attributes: 'x' }, 'participant_attributes'],
      [{ room_config: 'x' }, 'room_config'],
      [{ room_config: { max_participants: 'many' } }, 'room_config'],
      [{ room_config: { no_such_field: 1 } }, 'room_config'],
      [{ participant_name: 'x'.repeat(300) }, 'participant_name'],
    ])('answers 400 naming the field for %j', async (body, field) => {
      const res = await post(body).expect(400);
      expect(res.body.errorMessage).toContain(field);
    });
  });

  it('answers a CORS preflight from a browser origin', async () => {
    const res = await request(app.getHttpServer())
      .options('/token')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type');
    expect([200, 204]).toContain(res.status);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    const post = await postToken({ roomName: 'r', participantName: 'p' }).set('Origin', 'https://app.example.com').expect(200);
    expect(post.headers['access-control-allow-origin']).toBe('*');
  });
});

const TOO_DEEP = { errorMessage: 'request body is nested too deeply (more than 32 levels)' };
const TOO_MANY = { errorMessage: 'request body has too many values (more than 10000)' };
const DEFAULT_JSON_BODY_LIMIT = 16 * 1024;

describe.each(ADAPTERS)('hostile token bodies on %s (default 16 KB body limit)', (adapter) => {
  let app: INestApplication;
  let close: () => Promise<void>;
  const verifier = new TokenVerifier(TEST_API_KEY, TEST_API_SECRET);

  beforeAll(async () => {
    ({ app, close } = await startStandalone(adapter, { JSON_BODY_LIMIT: undefined }));
  });
  afterAll(() => close());

  const post = (path: string, raw: string) => request(app.getHttpServer()).post(path).set('Content-Type', 'application/json').send(raw);

  it.each([
    ['POST /token', '/token', (deep: string) => `{"roomName":"r","participantName":${deep}}`],
    ['POST /livekit/token', '/livekit/token', (deep: string) => `{"room_config":{"agents":${deep}}}`],
  ])('%s: 400 {errorMessage} for a 6,000-deep array, not a stack overflow', async (_, path, wrap) => {
    const res = await post(path, wrap(nestedArrays(6000))).expect(400);
    expect(res.body).toEqual(TOO_DEEP);
  });

  it('POST /token: 32 levels reach validation, 33 are refused', async () => {
    // The body is level 1, so the array adds 31 levels.
    const at = await post('/token', `{"roomName":"r","participantName":${nestedArrays(31)}}`).expect(400);
    expect(at.body).toEqual({ errorMessage: 'participantName must be a string' });
    const over = await post('/token', `{"roomName":"r","participantName":${nestedArrays(32)}}`).expect(400);
    expect(over.body).toEqual(TOO_DEEP);
  });

  it('POST /livekit/token: the deepest room_config the protocol defines (8 levels) still mints', async () => {
    const egress = { room: { file_outputs: [{ filepath: 'r.mp4', s3: { bucket: 'b', metadata: { team: 'blue' } } }] } };
    const res = await post('/livekit/token', JSON.stringify({ room_name: 'deep', room_config: { egress } })).expect(201);
    const claims = await verifier.verify(res.body.participant_token);
    expect(claims.roomConfig).toMatchObject({ egress: { room: { fileOutputs: [{ s3: { metadata: { team: 'blue' } } }] } } });
  });

  it('the largest array the 16 KB limit lets through is below the value bound, and answers the field error', async () => {
    const { body, items } = largestArrayBody((array) => `{"roomName":"r","participantName":${array}}`, DEFAULT_JSON_BODY_LIMIT);
    expect(items).toBeGreaterThan(8000);
    expect(items).toBeLessThan(10_000);
    const res = await post('/token', body).expect(400);
    expect(res.body).toEqual({ errorMessage: 'participantName must be a string' });
  });

  // Express's JSON.parse keeps `__proto__` as an own key, which Nest's pipe deletes; Fastify's parser refuses it
  // (and `constructor.prototype`) with its own 400.
  it.each([
    ['a top-level __proto__', '/token', '{"roomName":"r","participantName":"p","__proto__":{"polluted":"yes"}}', 200],
    ['a nested __proto__', '/token', '{"roomName":"r","participantName":{"__proto__":{"polluted":"yes"}}}', 400],
    ['a top-level constructor', '/token', '{"roomName":"r","participantName":"p","constructor":{"prototype":{"polluted":"yes"}}}', 200],
    ['__proto__ in participant_attributes', '/livekit/token', '{"participant_attributes":{"__proto__":{"polluted":"yes"}}}', 201],
    ['constructor in room_config', '/livekit/token', '{"room_config":{"constructor":{"prototype":{"polluted":"yes"}}}}', 201],
    ['__proto__ in room_config.agents', '/livekit/token', '{"room_config":{"agents":[{"__proto__":{"polluted":"yes"}}]}}', 201],
  ])('%s pollutes nothing and never answers 5xx', async (_, path, raw, expressStatus) => {
    const res = await post(path, raw).expect(adapter === 'express' ? expressStatus : 400);
    if (res.status === 400) expect(res.body).toEqual({ errorMessage: expect.any(String) });
    const token = (res.body as { token?: string; participant_token?: string }).token ?? res.body.participant_token;
    if (token) expect(JSON.stringify(await verifier.verify(token))).not.toContain('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('duplicate keys: the last one wins, as JSON.parse decides, on both adapters', async () => {
    const res = await post('/token', '{"roomName":"first","participantName":"p","roomName":"second"}').expect(200);
    expect((await verifier.verify(res.body.token)).video?.room).toBe('second');
  });
});

describe.each(ADAPTERS)('hostile token bodies on %s with JSON_BODY_LIMIT raised to 1 MiB', (adapter) => {
  let app: INestApplication;
  let close: () => Promise<void>;
  const LIMIT = 1024 * 1024;

  beforeAll(async () => {
    ({ app, close } = await startStandalone(adapter, { JSON_BODY_LIMIT: String(LIMIT) }));
  });
  afterAll(() => close());

  it.each([
    ['POST /token', '/token', (array: string) => `{"roomName":"r","participantName":${array}}`],
    ['POST /livekit/token', '/livekit/token', (array: string) => `{"participant_attributes":{"a":${array}}}`],
  ])(
    '%s: 400 {errorMessage} for the largest array that fits (over 500,000 values)',
    async (_, path, wrap) => {
      const { body, items } = largestArrayBody(wrap, LIMIT);
      expect(items).toBeGreaterThan(500_000);
      const res = await request(app.getHttpServer()).post(path).set('Content-Type', 'application/json').send(body).expect(400);
      expect(res.body).toEqual(TOO_MANY);
    },
    30_000,
  );

  it('POST /token: 400 {errorMessage} for a 500,000-deep array', async () => {
    const res = await request(app.getHttpServer())
      .post('/token')
      .set('Content-Type', 'application/json')
      .send(`{"roomName":"r","participantName":${nestedArrays(500_000)}}`)
      .expect(400);
    expect(res.body).toEqual(TOO_DEEP);
  }, 30_000);
});

describe.each(ADAPTERS)('CORS with an allow-list on %s', (adapter) => {
  it('reflects an allowed origin and omits the header for others', async () => {
    const { app, close } = await startStandalone(adapter, { CORS_ORIGINS: 'https://a.example, https://b.example' });
    try {
      const ok = await request(app.getHttpServer())
        .options('/token')
        .set('Origin', 'https://b.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(ok.headers['access-control-allow-origin']).toBe('https://b.example');
      const denied = await request(app.getHttpServer())
        .options('/token')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await close();
    }
  });
});
