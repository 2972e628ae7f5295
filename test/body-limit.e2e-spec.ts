import { Controller, HttpCode, type INestApplication, Post, UseGuards } from '@nestjs/common';
import request from 'supertest';
import { LiveKitModule } from '../src/livekit/livekit.module';
import { LiveKitWebhookGuard } from '../src/webhook/livekit-webhook.guard';
import { LiveKitWebhookModule } from '../src/webhook/livekit-webhook.module';
import { createApp } from './support/create-app';
import { listenOnLoopback, sendChunked, sendChunkedBody, sendDeclaredLength } from './support/raw-http';
import { ADAPTERS, startStandalone, TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';
import { signWebhook, webhookBody } from './support/webhook-signer';

const JSON_LIMIT = 4096;
const WEBHOOK_LIMIT = 8192;
/** A gigabyte the client never sends: a server that waits for it never answers. */
const DECLARED = 1_000_000_000;
/** More than socket buffers hold: a server reading to the end lets the client write it all, unanswered. */
const CHUNKED_MAX = 64 * 1024 * 1024;

const ROUTES = [
  ['/token', 'application/json', `token request body larger than ${JSON_LIMIT} bytes`],
  ['/livekit/token', 'application/json', `token request body larger than ${JSON_LIMIT} bytes`],
  ['/webhook', 'application/webhook+json', `webhook body larger than ${WEBHOOK_LIMIT} bytes`],
  ['/livekit/webhook', 'application/json', `webhook body larger than ${WEBHOOK_LIMIT} bytes`],
] as const;

/** A valid webhook token (over other bytes): the guard reads the body instead of stopping at the token. */
const signedHeaders = async (type: string) => ({
  'Content-Type': type,
  Authorization: (await signWebhook(TEST_API_KEY, TEST_API_SECRET, Buffer.from('{}'))).authorization,
});

describe.each(ADAPTERS)('body limits of the standalone server on %s', (adapter) => {
  let app: INestApplication;
  let close: () => Promise<void>;
  let port: number;
  beforeAll(async () => {
    ({ app, close } = await startStandalone(adapter, { JSON_BODY_LIMIT: String(JSON_LIMIT), WEBHOOK_BODY_LIMIT: String(WEBHOOK_LIMIT) }));
    port = await listenOnLoopback(app);
  });
  afterAll(() => close());

  const validToken = () => request(app.getHttpServer()).post('/token').send({ roomName: 'r', participantName: 'p' }).expect(200);

  it.each(ROUTES)(
    '%s: a declared Content-Length over the limit gets 413 at once, the body unread and the connection closed',
    async (path, type, message) => {
      const answer = await sendDeclaredLength(port, { path, declaredLength: DECLARED, body: '{"a":', headers: await signedHeaders(type) });
      expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({ errorMessage: message });
      expect(answer.closedByServer).toBe(true);
      await validToken();
    },
  );

  it('answers a spelling Express also routes to /token (case, trailing slash, query) the same way', async () => {
    const answer = await sendDeclaredLength(port, { path: '/TOKEN/?a=1', declaredLength: DECLARED, body: '{', headers: {} });
    expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer.closedByServer).toBe(true);
  });

  it.each(ROUTES)(
    '%s: a chunked body over the limit is cut there: 413 while the client still sends, connection closed',
    async (path, type) => {
      const answer = await sendChunked(port, { path, maxBytes: CHUNKED_MAX, headers: await signedHeaders(type) });
      expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
      expect(JSON.parse(answer.body)).toEqual({ errorMessage: expect.any(String) });
      expect(answer.closedByServer).toBe(true);
      expect(answer.bodyBytesWritten).toBeLessThan(CHUNKED_MAX);
      await validToken();
    },
  );

  it('still accepts a chunked body within the limit', async () => {
    const answer = await sendChunkedBody(port, { path: '/token', body: JSON.stringify({ roomName: 'r', participantName: 'p' }) });
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(JSON.parse(answer.body)).toEqual({ token: expect.any(String) });
  });

  it('still accepts a body declared at the limit, and answers 413 one byte over it', async () => {
    const padding = (length: number) => JSON.stringify({ roomName: 'r', participantName: 'p', pad: '' }).length - length;
    const at = JSON.stringify({ roomName: 'r', participantName: 'p', pad: 'x'.repeat(-padding(JSON_LIMIT)) });
    expect(Buffer.byteLength(at)).toBe(JSON_LIMIT);
    await request(app.getHttpServer()).post('/token').set('Content-Type', 'application/json').send(at).expect(200);
    const over = await request(app.getHttpServer()).post('/token').set('Content-Type', 'application/json').send(`${at} `).expect(413);
    expect(over.body).toEqual({ errorMessage: expect.any(String) });
  });
});

@Controller()
class HostOwnedWebhookController {
  @Post('hooks/livekit')
  @HttpCode(200)
  @UseGuards(LiveKitWebhookGuard)
  receive(): { ok: true } {
    return { ok: true };
  }
}

describe.each(ADAPTERS)('LiveKitWebhookGuard on a route of the host (routes: false) on %s', (adapter) => {
  let app: INestApplication;
  let port: number;
  beforeAll(async () => {
    ({ app } = await createApp(adapter, [
      LiveKitModule.forRoot({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, webhookBodyLimit: WEBHOOK_LIMIT }),
      {
        module: class HostWebhookModule {},
        imports: [LiveKitWebhookModule.forRoot({ routes: false })],
        controllers: [HostOwnedWebhookController],
      },
    ]));
    port = await listenOnLoopback(app);
  });
  afterAll(() => app.close());

  it('answers 413 to a declared Content-Length over the limit and closes the connection instead of reading the body', async () => {
    const answer = await sendDeclaredLength(port, {
      path: '/hooks/livekit',
      declaredLength: DECLARED,
      body: '{"a":',
      headers: await signedHeaders('application/webhook+json'),
    });
    expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer.closedByServer).toBe(true);
    const signed = await signWebhook(TEST_API_KEY, TEST_API_SECRET, webhookBody('room_started'));
    await request(app.getHttpServer())
      .post('/hooks/livekit')
      .set('Content-Type', 'application/webhook+json')
      .set('Authorization', signed.authorization)
      .send(signed.body.toString())
      .expect(200, { ok: true });
  });
});
