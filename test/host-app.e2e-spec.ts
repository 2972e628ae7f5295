import type { INestApplication } from '@nestjs/common';
import { TokenVerifier } from 'livekit-server-sdk';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { HOST_SETTINGS } from './fixtures/host-app/host-app.module';
import type { WebhookBypass } from './fixtures/host-app/host-auth.guard';
import { HostWebhookListener } from './fixtures/host-app/host-events.module';
import {
  createHostApp,
  EXPRESS_BODY_SETUPS,
  type ExpressBodySetupName,
  FASTIFY_BODY_SETUPS,
  type FastifyBodySetupName,
  type HostAdapter,
  type HostBodySetup,
} from './fixtures/host-app/host-main';
import { HOST_USER_TOKEN } from './fixtures/host-app/host-user';
import { nestedArrays } from './support/hostile-json';
import { listenOnLoopback, sendDeclaredLength } from './support/raw-http';
import { signWebhook } from './support/webhook-signer';

const ADAPTERS: HostAdapter[] = ['express', 'fastify'];
const KEY = HOST_SETTINGS.LIVEKIT_KEY;
const SECRET = HOST_SETTINGS.LIVEKIT_SECRET;
const USER = `Bearer ${HOST_USER_TOKEN}`;

const WEBHOOK_TYPES = ['application/webhook+json', 'application/json'] as const;
type WebhookType = (typeof WEBHOOK_TYPES)[number];

/**
 * What a setup can do with a webhook of each content type: verify its exact bytes, or (a parser consumed
 * them and kept nothing) answer 500 with the fix. Never 200 unverified, never 401 for a genuine webhook.
 */
type Outcome = 'verified' | 'raw-body-unavailable';
const BOTH_VERIFIED = { 'application/webhook+json': 'verified', 'application/json': 'verified' } as const;
const JSON_CONSUMED = { 'application/webhook+json': 'verified', 'application/json': 'raw-body-unavailable' } as const;
const BOTH_CONSUMED = { 'application/webhook+json': 'raw-body-unavailable', 'application/json': 'raw-body-unavailable' } as const;

const EXPRESS_EXPECTED: Record<ExpressBodySetupName, Record<WebhookType, Outcome>> = {
  'Nest default body parsing': JSON_CONSUMED,
  'rawBody: true': BOTH_VERIFIED,
  'bodyParser: false': BOTH_VERIFIED,
  'app.use(express.json())': JSON_CONSUMED,
  'app.use(express.json({ verify: captureRawBody }))': BOTH_VERIFIED,
  "app.use(express.json({ type: ['application/json', 'application/*+json'] }))": BOTH_CONSUMED,
  "app.use(express.json({ type: ['application/json', 'application/*+json'], verify: captureRawBody }))": BOTH_VERIFIED,
  'rawBody: true + app.use(express.json())': JSON_CONSUMED,
  "app.useBodyParser('json', { limit })": JSON_CONSUMED,
  "rawBody: true + app.useBodyParser('json', { limit })": BOTH_VERIFIED,
  'a body-parser 1.x style parser (req.body = {} on requests it skips)': JSON_CONSUMED,
};

const FASTIFY_EXPECTED: Record<FastifyBodySetupName, Record<WebhookType, Outcome>> = {
  'Nest default body parsing': JSON_CONSUMED,
  'rawBody: true': BOTH_VERIFIED,
  // Fastify's own JSON parser stays registered: it consumes application/json.
  'bodyParser: false': JSON_CONSUMED,
  "the host's own addContentTypeParser('application/json', { parseAs: 'string' })": JSON_CONSUMED,
  "the host's own addContentTypeParser('application/json', { parseAs: 'buffer' }) keeping request.rawBody": BOTH_VERIFIED,
  // The host took application/webhook+json too, so our module registers no buffer parser for it.
  "the host's own parser for application/json and application/webhook+json": BOTH_CONSUMED,
  // Nest's useBodyParser on Fastify without a parser function hands the Buffer on as the body.
  "app.useBodyParser('application/json', { bodyLimit })": BOTH_VERIFIED,
  "rawBody: true + app.useBodyParser('application/json', { bodyLimit })": BOTH_VERIFIED,
};

function bodySetupCases(adapter: HostAdapter): [string, HostBodySetup, Record<WebhookType, Outcome>][] {
  const setups: Record<string, HostBodySetup> = adapter === 'express' ? EXPRESS_BODY_SETUPS : FASTIFY_BODY_SETUPS;
  const expected: Record<string, Record<WebhookType, Outcome>> = adapter === 'express' ? EXPRESS_EXPECTED : FASTIFY_EXPECTED;
  return Object.entries(setups).map(([name, setup]) => {
    const outcome = expected[name];
    if (!outcome) throw new Error(`no expectation for ${adapter} setup ${name}`);
    return [name, setup, outcome];
  });
}

/**
 * A participant_joined body whose bytes a re-serialization would change: spaces before commas, a new line
 * and a tab, keys out of LiveKit's order, and `\u00e9` escapes (JSON.stringify would write `é`).
 */
function unusualBody(id: string): Buffer {
  return Buffer.from(
    `{"room":{"name":"caf\\u00e9","sid":"RM_1"} , "event":"participant_joined" , "id":"${id}",\n\t` +
      `"participant":{"identity":"\\u00e9ve","sid":"PA_1"},"createdAt":"1700000000"}`,
  );
}

const newId = () => `EV_${randomUUID()}`;

interface Delivery {
  body: Buffer;
  authorization: string;
}

/** Ways to forge a delivery of `id`; the third leaves a valid token over other bytes. */
const FORGERIES: [string, (id: string) => Promise<Delivery>][] = [
  [
    'a bad signature',
    async (id) => {
      const signed = await signWebhook(KEY, SECRET, unusualBody(id));
      const [header, payload, signature = ''] = signed.authorization.split('.');
      const flipped = signature.slice(0, 10) + (signature[10] === 'a' ? 'b' : 'a') + signature.slice(11);
      return { body: signed.body, authorization: `${header}.${payload}.${flipped}` };
    },
  ],
  ['a wrong secret', (id) => signWebhook(KEY, 'not-the-host-secret-0123456789abcdef0123', unusualBody(id))],
  [
    'a tampered body',
    async (id) => {
      const signed = await signWebhook(KEY, SECRET, unusualBody(id));
      return { body: Buffer.from(signed.body.toString().replace('caf\\u00e9', 'caf\\u00e8')), authorization: signed.authorization };
    },
  ],
];

function postWebhook(app: INestApplication, delivery: Delivery, type: string = 'application/webhook+json', path = '/webhook') {
  // A string body, so that supertest sends these exact bytes.
  return request(app.getHttpServer())
    .post(path)
    .set('Content-Type', type)
    .set('Authorization', delivery.authorization)
    .send(delivery.body.toString('utf8'));
}

/** Declared and never sent: a parser that reads a declared body before refusing it never answers. */
const DECLARED = 1_000_000_000;
const OVERSIZED_ROUTES = [
  ['/token', 'application/json', 'token request body larger than 65536 bytes'],
  ['/livekit/token', 'application/json', 'token request body larger than 65536 bytes'],
  ['/webhook', 'application/webhook+json', 'webhook body larger than 1048576 bytes'],
  ['/livekit/webhook', 'application/json', 'webhook body larger than 1048576 bytes'],
] as const;

/** Over our token limit (64 KiB), under every host parser's: 413 from us on our routes, theirs still parse it. */
const OVER_TOKEN_LIMIT = JSON.stringify({ name: 'x'.repeat(70 * 1024) });

/** Sends the head of every oversized route with a few bytes of body; each must be answered 413 and closed. */
async function expectRefusedUnread(app: INestApplication, prefix = ''): Promise<void> {
  const port = await listenOnLoopback(app);
  for (const [path, type, message] of OVERSIZED_ROUTES) {
    const authorization = (await signWebhook(KEY, SECRET, Buffer.from('{}'))).authorization;
    const answer = await sendDeclaredLength(port, {
      path: prefix + path,
      declaredLength: DECLARED,
      body: '{"roomName":',
      headers: { 'Content-Type': type, Authorization: path.includes('webhook') ? authorization : USER },
    });
    expect({ path, statusLine: answer.statusLine, connection: answer.headers.connection, closedByServer: answer.closedByServer }).toEqual({
      path,
      statusLine: 'HTTP/1.1 413 Payload Too Large',
      connection: 'close',
      closedByServer: true,
    });
    expect(JSON.parse(answer.body)).toEqual({ errorMessage: message });
  }
}

const RAW_BODY_FIX = { errorMessage: expect.stringMatching(/^webhook raw body unavailable: .*rawBody: true.*captureRawBody/) };
const NOT_VERIFIED = { errorMessage: expect.stringMatching(/^webhook not verified: /) };

describe.each(ADAPTERS)('host app fixture on %s', (adapter) => {
  describe("token endpoints under the host's guard, pipe, filter and policy", () => {
    let app: INestApplication;
    const verifier = new TokenVerifier(KEY, SECRET);
    beforeAll(async () => {
      app = await createHostApp(adapter);
    });
    afterAll(() => app.close());

    const post = (path: string, body: unknown, authorization?: string) => {
      const req = request(app.getHttpServer()).post(path).set('Content-Type', 'application/json');
      if (authorization !== undefined) req.set('Authorization', authorization);
      return req.send(typeof body === 'string' ? body : JSON.stringify(body));
    };

    it("the host's own setup is active: its guard, ValidationPipe and filter answer its routes in its format", async () => {
      await request(app.getHttpServer()).get('/host/health').expect(200, { ok: true });
      const anonymous = await request(app.getHttpServer()).get('/host/me').expect(401);
      expect(anonymous.body).toEqual({ hostError: { status: 401, detail: expect.objectContaining({ message: 'host: sign in first' }) } });
      await request(app.getHttpServer()).get('/host/me').set('Authorization', USER).expect(200, { id: 'user-42', displayName: 'Ada' });
      const extra = await post('/host/projects', { name: 'p', extra: 1 }, USER).expect(400);
      expect(extra.body).toEqual({
        hostError: { status: 400, detail: expect.objectContaining({ message: ['property extra should not exist'] }) },
      });
      await post('/host/projects', { name: 'p' }, USER).expect(201, { name: 'p' });
    });

    it.each([
      ['POST /token', '/token', { roomName: 'team-room', participantName: 'ada' }],
      ['POST /livekit/token', '/livekit/token', { room_name: 'team-room' }],
    ])("%s answers the host guard's 401 without the host's user, in our {errorMessage} shape", async (_, path, body) => {
      const anonymous = await post(path, body).expect(401);
      expect(anonymous.body).toEqual({ errorMessage: 'host: sign in first' });
      await post(path, body, 'Bearer someone-else').expect(401);
      // The guard runs before validation: an anonymous caller learns nothing about the body.
      await post(path, { roomName: 42 }).expect(401);
    });

    it('POST /token: the host policy mints for req.user, in an allowed room, with the host-configured key and TTL', async () => {
      const res = await post('/token', { roomName: 'café', participantName: 'Ada L.' }, USER).expect(200);
      expect(Object.keys(res.body)).toEqual(['token']);
      const claims = await verifier.verify(res.body.token);
      expect(claims.sub).toBe('user-42');
      expect(claims.name).toBe('Ada L.');
      expect(claims.video).toEqual({ roomJoin: true, room: 'café', canSubscribe: true, canPublish: false });
      expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(15 * 60);
    });

    it('POST /token: the host policy refuses a room the user is not in (403 {errorMessage})', async () => {
      const res = await post('/token', { roomName: 'board-room', participantName: 'ada' }, USER).expect(403);
      expect(res.body).toEqual({ errorMessage: 'user user-42 may not join room "board-room"' });
    });

    it("POST /livekit/token: the host policy picks the user's room; server_url comes from the host's config", async () => {
      const res = await post('/livekit/token', {}, USER).expect(201);
      expect(res.body).toEqual({ server_url: HOST_SETTINGS.LIVEKIT_PUBLIC_URL, participant_token: expect.any(String) });
      const claims = await verifier.verify(res.body.participant_token);
      expect(claims).toMatchObject({ sub: 'user-42', name: 'Ada', video: { room: 'team-room', roomJoin: true } });
      const refused = await post('/livekit/token', { room_name: 'board-room' }, USER).expect(403);
      expect(refused.body).toEqual({ errorMessage: 'user user-42 may not join room "board-room"' });
    });

    it.each([
      ['missing participantName', { roomName: 'team-room' }, 'roomName and participantName are required'],
      ['missing roomName, unknown field', { participantName: 'p', extra: 1 }, 'roomName and participantName are required'],
      ['numeric roomName', { roomName: 42, participantName: 'p' }, 'roomName must be a string'],
      ['over-long participantName', { roomName: 'r', participantName: 'x'.repeat(257) }, 'participantName must be at most 256 characters'],
    ])("POST /token keeps the OpenVidu 400 {errorMessage} under the host's global ValidationPipe: %s", async (_, body, message) => {
      const res = await post('/token', body, USER).expect(400);
      expect(res.body).toEqual({ errorMessage: message });
    });

    it("POST /token ignores unknown fields as the tutorials do, despite the host's forbidNonWhitelisted", async () => {
      const res = await post('/token', { roomName: 'team-room', participantName: 'p', extra: 1 }, USER).expect(200);
      expect(res.body).toEqual({ token: expect.any(String) });
    });

    it("POST /livekit/token keeps its own 400 {errorMessage} under the host's pipe", async () => {
      const res = await post('/livekit/token', { room_name: 5 }, USER).expect(400);
      expect(res.body).toEqual({ errorMessage: expect.stringMatching(/^room_name /) });
    });

    it.each([
      ['POST /token', '/token', (deep: string) => `{"roomName":"team-room","participantName":${deep}}`],
      ['POST /livekit/token', '/livekit/token', (deep: string) => `{"room_config":{"agents":${deep}}}`],
    ])("%s: a 6,000-deep body passes the host's global ValidationPipe untouched and gets our 400", async (_, path, wrap) => {
      const res = await post(path, wrap(nestedArrays(6000)), USER).expect(400);
      expect(res.body).toEqual({ errorMessage: 'request body is nested too deeply (more than 32 levels)' });
    });

    it("control: the host's global ValidationPipe itself overflows on a class metatype (its own route), hence Object for ours", async () => {
      // Nest's ValidationPipe strips prototype keys recursively when it validates; with the `Object` metatype
      // of our body parameters it returns before that (`toValidate`), so our bound runs first on our routes.
      const res = await post('/host/projects', `{"name":${nestedArrays(6000)}}`, USER).expect(500);
      expect(res.body).toEqual({ hostError: { status: 500, detail: 'internal error' } });
    });

    it("malformed JSON fails in the body parser, before routing: 400 in the host's global format (documented limit)", async () => {
      const res = await post('/token', '{"roomName": "team-room",', USER).expect(400);
      expect(res.body).toEqual({ hostError: { status: 400, detail: expect.anything() } });
    });
  });

  describe.each<WebhookBypass>(['public-decorator', 'route-check'])("webhooks through the host's global guard (bypass: %s)", (bypass) => {
    let app: INestApplication;
    let listener: HostWebhookListener;
    beforeAll(async () => {
      app = await createHostApp(adapter, {}, { webhookBypass: bypass });
      listener = app.get(HostWebhookListener);
    });
    afterAll(() => app.close());

    it.each(['/webhook', '/livekit/webhook'])('%s: a signed webhook reaches the host handlers once', async (path) => {
      const id = newId();
      const signed = await signWebhook(KEY, SECRET, unusualBody(id));
      const res = await postWebhook(app, signed, 'application/webhook+json', path).expect(200);
      expect(res.body).toEqual({ status: 'processed', id });
      expect(listener.callsFor(id)).toEqual({ joined: 1, any: 1 });
    });

    it('our guard still checks the signature: unsigned or user-credentialed webhooks get its 401, no handler runs', async () => {
      const id = newId();
      const before = listener.any.length;
      const body = unusualBody(id).toString();
      const unsigned = await request(app.getHttpServer()).post('/webhook').set('Content-Type', 'application/webhook+json').send(body);
      expect(unsigned.status).toBe(401);
      expect(unsigned.body).toEqual({ errorMessage: 'webhook not verified: missing authorization' });
      const asUser = await postWebhook(app, { body: unusualBody(id), authorization: USER }).expect(401);
      expect(asUser.body).toEqual(NOT_VERIFIED);
      expect(listener.any.length).toBe(before);
    });

    it("the bypass is only for the webhook: the host's and the token routes still require the user", async () => {
      await request(app.getHttpServer()).get('/host/me').expect(401);
      await request(app.getHttpServer()).post('/token').send({ roomName: 'team-room', participantName: 'p' }).expect(401);
      await request(app.getHttpServer()).post('/livekit/token').send({}).expect(401);
    });
  });

  describe('control: a host guard with neither bypass', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createHostApp(adapter, {}, { webhookBypass: 'none' });
    });
    afterAll(() => app.close());

    it("answers the host's 401 to a genuine webhook, which LiveKit counts as delivered: why the bypass is needed", async () => {
      const id = newId();
      const res = await postWebhook(app, await signWebhook(KEY, SECRET, unusualBody(id))).expect(401);
      expect(res.body).toEqual({ errorMessage: 'host: sign in first' });
      expect(app.get(HostWebhookListener).callsFor(id)).toEqual({ joined: 0, any: 0 });
    });
  });

  describe.each(bodySetupCases(adapter))('body parsing: %s', (_, setup, expected) => {
    let app: INestApplication;
    let listener: HostWebhookListener;
    beforeAll(async () => {
      app = await createHostApp(adapter, setup);
      listener = app.get(HostWebhookListener);
    });
    afterAll(() => app.close());

    it('our routes answer a declared Content-Length over our limits 413 before this parser reads the body, and close', async () => {
      await expectRefusedUnread(app);
      // The server still answers as this setup does: a signed webhook of normal size.
      const res = await postWebhook(app, await signWebhook(KEY, SECRET, unusualBody(newId())));
      expect(res.status).toBe(expected['application/webhook+json'] === 'verified' ? 200 : 500);
    });

    describe.each(WEBHOOK_TYPES)('%s', (type) => {
      const outcome = expected[type];

      if (outcome === 'verified') {
        it('verifies the exact bytes; host handlers run once, also after a forged copy and on redelivery', async () => {
          const id = newId();
          const signed = await signWebhook(KEY, SECRET, unusualBody(id));
          expect(JSON.stringify(JSON.parse(signed.body.toString()))).not.toBe(signed.body.toString());
          // A forged copy of the same id first must not mark the event as seen.
          const forged = { body: Buffer.from(signed.body.toString().replace('PA_1', 'PA_2')), authorization: signed.authorization };
          expect((await postWebhook(app, forged, type).expect(401)).body).toEqual(NOT_VERIFIED);
          expect(listener.callsFor(id)).toEqual({ joined: 0, any: 0 });

          const res = await postWebhook(app, signed, type).expect(200);
          expect(res.body).toEqual({ status: 'processed', id });
          const event = listener.joined.find((e) => e.id === id);
          expect(event?.room?.name).toBe('café');
          expect(event?.participant?.identity).toBe('éve');
          await postWebhook(app, signed, type).expect(200, { status: 'duplicate', id });
          expect(listener.callsFor(id)).toEqual({ joined: 1, any: 1 });
        });
      } else {
        it('answers 500 with errorMessage naming the fix (never 200, never 401), and runs no handler', async () => {
          const id = newId();
          const res = await postWebhook(app, await signWebhook(KEY, SECRET, unusualBody(id)), type);
          expect(res.status).toBe(500);
          expect(res.body).toEqual(RAW_BODY_FIX);
          expect(listener.callsFor(id)).toEqual({ joined: 0, any: 0 });
        });
      }

      it.each(FORGERIES)('refuses %s and runs no handler', async (forgery, forge) => {
        const id = newId();
        const before = { joined: listener.joined.length, any: listener.any.length };
        const res = await postWebhook(app, await forge(id), type);
        // The token is checked before the body is read: a tampered body is only detectable where the bytes are.
        if (forgery === 'a tampered body' && outcome === 'raw-body-unavailable') {
          expect(res.status).toBe(500);
          expect(res.body).toEqual(RAW_BODY_FIX);
        } else {
          expect(res.status).toBe(401);
          expect(res.body).toEqual(NOT_VERIFIED);
        }
        expect({ joined: listener.joined.length, any: listener.any.length }).toEqual(before);
      });
    });
  });

  describe("our limits under the host's global prefix", () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createHostApp(adapter, {
        configureExpress: (express) => express.setGlobalPrefix('api'),
        configureFastify: (fastify) => fastify.setGlobalPrefix('api'),
      });
    });
    afterAll(() => app.close());

    it('refuses a declared Content-Length over the limit on /api/token and /api/…/webhook, unread', async () => {
      await expectRefusedUnread(app, '/api');
    });

    it("applies our token limit, not the host parser's, and leaves the host's own routes to the host", async () => {
      const post = (path: string) =>
        request(app.getHttpServer()).post(path).set('Content-Type', 'application/json').set('Authorization', USER).send(OVER_TOKEN_LIMIT);
      expect((await post('/api/token').expect(413)).body).toEqual({ errorMessage: 'token request body larger than 65536 bytes' });
      expect((await post('/api/host/projects').expect(201)).body).toEqual({ name: expect.any(String) });
    });
  });
});
