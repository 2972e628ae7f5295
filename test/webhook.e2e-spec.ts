import { Injectable, type INestApplication } from '@nestjs/common';
import { SignJWT } from 'jose';
import type { WebhookEvent } from 'livekit-server-sdk';
import request from 'supertest';
import { LiveKitModule } from '../src/livekit/livekit.module';
import { LiveKitWebhookModule } from '../src/webhook/livekit-webhook.module';
import { LiveKitWebhookListener, OnAnyLiveKitEvent, OnLiveKitEvent } from '../src/webhook/on-livekit-event.decorator';
import { createApp } from './support/create-app';
import { CapturedNestLogger } from './support/log-capture';
import { ADAPTERS } from './support/standalone-app';
import { nestedArrays } from './support/hostile-json';
import { sha256Base64, signWebhook, webhookBody } from './support/webhook-signer';

const KEY = 'wh-key';
const SECRET = 'wh-secret-0123456789abcdef0123456789abcdef';
const ROTATED_KEY = 'wh-key-2';
const ROTATED_SECRET = 'wh-secret-2-0123456789abcdef0123456789abcd';

/** Records calls; `failuresLeft` makes the next n calls of `onJoin` throw; `delayMs` slows `onTrack`. */
@Injectable()
@LiveKitWebhookListener()
class RecordingListener {
  joined: WebhookEvent[] = [];
  any: string[] = [];
  tracks: string[] = [];
  failuresLeft = 0;
  joinAttempts = 0;
  delayMs = 0;

  @OnLiveKitEvent('participant_joined')
  onJoin(event: WebhookEvent): void {
    this.joinAttempts += 1;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('database unavailable');
    }
    this.joined.push(event);
  }

  @OnLiveKitEvent('track_published', 'track_unpublished')
  async onTrack(event: WebhookEvent): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.tracks.push(event.id);
  }

  @OnAnyLiveKitEvent()
  onAny(event: WebhookEvent): void {
    this.any.push(event.event);
  }

  reset(): void {
    this.joined = [];
    this.any = [];
    this.tracks = [];
    this.failuresLeft = 0;
    this.joinAttempts = 0;
    this.delayMs = 0;
  }
}

describe.each(ADAPTERS)('webhook on %s', (adapter) => {
  let app: INestApplication;
  let listener: RecordingListener;
  const logger = new CapturedNestLogger();
  // rawBody: true, so that application/json webhooks keep their bytes under Nest's JSON parser.

  beforeAll(async () => {
    ({ app } = await createApp(
      adapter,
      [
        LiveKitModule.forRoot({
          apiKey: KEY,
          apiSecret: SECRET,
          keys: { [ROTATED_KEY]: ROTATED_SECRET },
          webhookHandlerTimeoutMs: 300,
          webhookBodyLimit: 64 * 1024,
        }),
        LiveKitWebhookModule.forRoot(),
        { module: class ListenerModule {}, providers: [RecordingListener] },
      ],
      { rawBody: true, logger },
    ));
    listener = app.get(RecordingListener);
  });
  afterAll(() => app.close());
  beforeEach(() => listener.reset());

  const post = (body: Buffer, authorization?: string, type = 'application/webhook+json', path = '/webhook') => {
    const req = request(app.getHttpServer()).post(path).set('Content-Type', type);
    if (authorization !== undefined) req.set('Authorization', authorization);
    return req.send(body.toString('utf8'));
  };

  it('accepts a webhook signed as LiveKit signs it and hands the typed event to handlers', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    const res = await post(signed.body, signed.authorization);
    expect(res.body).toEqual({ status: 'processed', id: signed.id });
    expect(res.status).toBe(200);
    expect(listener.joined).toHaveLength(1);
    expect(listener.joined[0]?.participant?.identity).toBe('alice');
    expect(listener.joined[0]?.room?.name).toBe('test-room');
    expect(typeof listener.joined[0]?.createdAt).toBe('bigint');
    expect(listener.any).toEqual(['participant_joined']);
  });

  it('serves /livekit/webhook too, and accepts application/json', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    await post(signed.body, signed.authorization, 'application/json', '/livekit/webhook').expect(200);
    const again = await signWebhook(KEY, SECRET, webhookBody('room_started'));
    await post(again.body, again.authorization, 'application/webhook+json; charset=utf-8', '/livekit/webhook').expect(200);
    expect(listener.any).toEqual(['participant_joined', 'room_started']);
  });

  it('verifies the exact bytes, including formatting a re-serialization would change', async () => {
    const body = Buffer.from('{ "event" : "participant_joined",\n  "id":"EV_bytes", "room":{"name":"caf\\u00e9"} ,"createdAt":"1"}');
    const signed = await signWebhook(KEY, SECRET, body);
    await post(signed.body, signed.authorization).expect(200);
    expect(listener.joined[0]?.room?.name).toBe('café');
  });

  it('verifies webhooks signed with a rotated key (iss picks the secret)', async () => {
    const signed = await signWebhook(ROTATED_KEY, ROTATED_SECRET, webhookBody('room_finished'));
    await post(signed.body, signed.authorization).expect(200);
    expect(listener.any).toEqual(['room_finished']);
  });

  describe('rejects with 401 and runs no handler', () => {
    const body = () => Buffer.from(JSON.stringify(webhookBody('participant_joined')));
    const hmac = (claims: Record<string, unknown>, secret = SECRET, alg = 'HS256') =>
      new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));

    it.each<[string, () => Promise<{ body: Buffer; auth?: string }>]>([
      ['no Authorization header', () => Promise.resolve({ body: body() })],
      ['an empty Authorization header', () => Promise.resolve({ body: body(), auth: '' })],
      ['a malformed token', () => Promise.resolve({ body: body(), auth: 'not-a-jwt' })],
      [
        'a wrong secret',
        async () => {
          const b = body();
          return { body: b, auth: (await signWebhook(KEY, 'another-secret-0123456789abcdef0123456789', b)).authorization };
        },
      ],
      [
        'an unknown API key',
        async () => {
          const b = body();
          return { body: b, auth: (await signWebhook('stranger', SECRET, b)).authorization };
        },
      ],
      [
        'an expired token',
        async () => {
          const b = body();
          const now = Math.floor(Date.now() / 1000);
          return { body: b, auth: await hmac({ iss: KEY, sha256: sha256Base64(b), nbf: now - 600, exp: now - 300 }) };
        },
      ],
      [
        'a token without exp',
        async () => {
          const b = body();
          return { body: b, auth: await hmac({ iss: KEY, sha256: sha256Base64(b) }) };
        },
      ],
      [
        'a token without the sha256 claim',
        async () => {
          const now = Math.floor(Date.now() / 1000);
          return { body: body(), auth: await hmac({ iss: KEY, exp: now + 300 }) };
        },
      ],
      [
        'alg none',
        () => {
          const b = body();
          const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
          const claims = { iss: KEY, sha256: sha256Base64(b), exp: Math.floor(Date.now() / 1000) + 300 };
          return Promise.resolve({ body: b, auth: `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.` });
        },
      ],
      [
        'a tampered body',
        async () => {
          const signed = await signWebhook(KEY, SECRET, body());
          const tampered = Buffer.from(signed.body.toString().replace('alice', 'mallory'));
          return { body: tampered, auth: signed.authorization };
        },
      ],
      [
        'one flipped byte of whitespace',
        async () => {
          const signed = await signWebhook(KEY, SECRET, body());
          return { body: Buffer.concat([signed.body, Buffer.from(' ')]), auth: signed.authorization };
        },
      ],
      [
        'a signature over another body',
        async () => {
          const b = body();
          return { body: b, auth: (await signWebhook(KEY, SECRET, b, { hashOf: Buffer.from('{}') })).authorization };
        },
      ],
    ])('%s', async (_, make) => {
      const { body: b, auth } = await make();
      const res = await post(b, auth).expect(401);
      expect(res.body).toEqual({ errorMessage: expect.stringMatching(/^webhook not verified/) });
      expect(listener.any).toEqual([]);
      expect(listener.joinAttempts).toBe(0);
    });
  });

  it('answers 400 to a validly signed body that is not JSON, running no handler', async () => {
    const signed = await signWebhook(KEY, SECRET, Buffer.from('event=participant_joined'));
    const res = await post(signed.body, signed.authorization).expect(400);
    expect(res.body.errorMessage).toMatch(/not a LiveKit event/);
    expect(listener.any).toEqual([]);
  });

  it.each([
    ['in an unknown field', (deep: string) => `{"event":"room_started","id":"EV_deep","futureField":${deep}}`],
    ['in a message field', (deep: string) => `{"event":"room_started","id":"EV_deep","room":${deep}}`],
    ['in an unknown field of the room', (deep: string) => `{"event":"room_started","id":"EV_deep","room":{"name":"r","future":${deep}}}`],
  ])('answers 400 to a validly signed, 6,000-deep body (%s), running no handler', async (_, wrap) => {
    const signed = await signWebhook(KEY, SECRET, Buffer.from(wrap(nestedArrays(6000))));
    const res = await post(signed.body, signed.authorization).expect(400);
    expect(res.body).toEqual({ errorMessage: 'webhook body is not a LiveKit event: it is nested too deeply (more than 32 levels)' });
    expect(listener.any).toEqual([]);
  });

  it('accepts the deepest event the protocol defines (9 levels: ingress track codec layers)', async () => {
    const ingressInfo = {
      ingressId: 'IN_1',
      state: { tracks: [{ sid: 'TR_1', codecs: [{ mimeType: 'video/h264', layers: [{ width: 640 }] }] }] },
    };
    const signed = await signWebhook(KEY, SECRET, webhookBody('ingress_started', { ingressInfo }));
    await post(signed.body, signed.authorization).expect(200);
    expect(listener.any).toEqual(['ingress_started']);
  });

  it('answers 415 to a signed body of another content type', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('room_started'));
    await post(signed.body, signed.authorization, 'text/plain').expect(415);
    expect(listener.any).toEqual([]);
  });

  it('answers 413 to a body over the limit', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('room_started', { padding: 'x'.repeat(70 * 1024) }));
    const res = await post(signed.body, signed.authorization).expect(413);
    // On Fastify too the guard reads the body (the module's parser leaves it unread), so our format applies.
    expect(res.body).toEqual({ errorMessage: `webhook body larger than ${64 * 1024} bytes` });
    expect(listener.any).toEqual([]);
  });

  it('runs handlers once for duplicate deliveries and still acknowledges them', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    await post(signed.body, signed.authorization).expect(200);
    const dup = await post(signed.body, signed.authorization).expect(200);
    expect(dup.body).toEqual({ status: 'duplicate', id: signed.id });
    const concurrent = await Promise.all([1, 2, 3].map(() => post(signed.body, signed.authorization)));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(listener.joined).toHaveLength(1);
    expect(listener.any).toHaveLength(1);
  });

  it('acknowledges unknown event types and hands them to catch-all handlers', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('room_hibernated', { futureField: { a: 1 } }));
    await post(signed.body, signed.authorization).expect(200);
    expect(listener.any).toEqual(['room_hibernated']);
    expect(listener.joined).toEqual([]);
  });

  it('answers 500 when a handler throws, and the retry runs only the failed handler', async () => {
    listener.failuresLeft = 1;
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    const first = await post(signed.body, signed.authorization).expect(500);
    // The body is generic: the handler's class and error are the server log's, once.
    expect(first.body).toEqual({ errorMessage: 'webhook handler failed; LiveKit will retry' });
    expect(logger.at('error').filter((line) => line.includes(signed.id))).toEqual([
      `handler RecordingListener.onJoin failed on participant_joined ${signed.id}: database unavailable`,
    ]);
    expect(listener.any).toEqual(['participant_joined']);
    const retry = await post(signed.body, signed.authorization).expect(200);
    expect(retry.body.status).toBe('processed');
    expect(listener.joinAttempts).toBe(2);
    expect(listener.joined).toHaveLength(1);
    expect(listener.any).toEqual(['participant_joined']);
  });

  it('answers 503 when handlers outlive the timeout; the retry waits for the same run', async () => {
    listener.delayMs = 600;
    const signed = await signWebhook(KEY, SECRET, webhookBody('track_published'));
    const slow = await post(signed.body, signed.authorization).expect(503);
    expect(slow.body.errorMessage).toMatch(/still running/);
    const retry = await post(signed.body, signed.authorization).expect(200);
    expect(retry.body.status).toBe('processed');
    expect(listener.tracks).toEqual([signed.id]);
  });
});
