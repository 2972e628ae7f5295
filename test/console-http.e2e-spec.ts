import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, type INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { LiveKitModule, LiveKitTokenModule, LiveKitWebhookListener, LiveKitWebhookModule, OnLiveKitEvent, type WebhookEvent } from '../src';
import { LIVEKIT_CONSOLE_CSRF_HEADER, LiveKitConsoleModule, type LiveKitConsoleDelivery } from '../src/console';
import { LiveKitMetricsModule } from '../src/metrics';
import { liveKitWebhookEvent, postLiveKitWebhook } from '../src/testing';
import { createApp } from './support/create-app';
import { openSse } from './support/sse-reader';
import { spawnStandalone, waitUntilListening } from './support/spawn-server';
import { ADAPTERS, startStandalone } from './support/standalone-app';

const API_KEY = 'console-http-key';
const API_SECRET = 'console-http-secret-0123456789abcdef0123456789';
const ADMIN_TOKEN = 'console-http-admin-token-0123456789abcdef';

@Injectable()
@LiveKitWebhookListener()
class ConsoleProbeHandlers {
  @OnLiveKitEvent('participant_joined', 'room_started')
  joined(_event: WebhookEvent): void {}

  @OnLiveKitEvent('participant_left')
  left(event: WebhookEvent): void {
    throw new Error(`cannot handle ${event.participant?.identity ?? '?'}`);
  }
}

jest.setTimeout(60_000);

describe.each(ADAPTERS)('operator console over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let origin: string;

  beforeAll(async () => {
    ({ app } = await createApp(adapter, [
      LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: 'ws://127.0.0.1:9' }),
      LiveKitTokenModule.forRoot(),
      LiveKitWebhookModule.forRoot(),
      LiveKitMetricsModule.forRoot({ defaultMetrics: false }),
      LiveKitConsoleModule.forRoot({ adminToken: ADMIN_TOKEN, roomsPollIntervalMs: 60_000 }),
      { module: class ProbeModule {}, providers: [ConsoleProbeHandlers] },
    ]));
    await app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const res = await http().post('/console/api/session').send({ token: ADMIN_TOKEN }).expect(201);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    return { cookie: setCookie[0]!.split(';')[0]!, csrf: (res.body as { csrfToken: string }).csrfToken };
  }

  async function deliveries(cookie: string, query = ''): Promise<LiveKitConsoleDelivery[]> {
    const res = await http().get(`/console/api/deliveries${query}`).set('Cookie', cookie).expect(200);
    return (res.body as { deliveries: LiveKitConsoleDelivery[] }).deliveries;
  }

  it('serves the page and its assets with a strict CSP, and nothing outside its list', async () => {
    const page = await http().get('/console').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.text).toContain('<base href="/console/" />');
    // Express also routes the trailing slash (Fastify only with its `ignoreTrailingSlash`): the base stays the console's.
    if (adapter === 'express') expect((await http().get('/console/').expect(200)).text).toContain('<base href="/console/" />');
    const js = await http().get('/console/assets/console.js').expect(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    await http().get('/console/assets/index.html').expect(404);
    await http().get('/console/assets/..%2F..%2Fpackage.json').expect(404);
    await http().get('/console/assets/nope.js').expect(404);
  });

  it('refuses a wrong token, signs in with the right one into an HttpOnly SameSite=Strict cookie, and signs out', async () => {
    const wrong = await http().post('/console/api/session').send({ token: 'not-the-token' }).expect(401);
    expect(wrong.body).toEqual({ errorMessage: 'wrong admin token' });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    await http().post('/console/api/session').send({}).expect(401);

    const res = await http().post('/console/api/session').send({ token: ADMIN_TOKEN }).expect(201);
    const cookie = String(([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]);
    expect(cookie).toMatch(/^livekit_console_session=[\w-]{43}; Path=\/console; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.stringify(res.body)).not.toContain(ADMIN_TOKEN);
    const session = cookie.split(';')[0]!;
    const { csrfToken } = res.body as { csrfToken: string };
    expect((await http().get('/console/api/session').set('Cookie', session).expect(200)).body).toMatchObject({ csrfToken });

    await http().delete('/console/api/session').set('Cookie', session).expect(403);
    const out = await http().delete('/console/api/session').set('Cookie', session).set(LIVEKIT_CONSOLE_CSRF_HEADER, csrfToken).expect(204);
    expect(String(([] as string[]).concat(out.headers['set-cookie'] ?? [])[0])).toContain('Max-Age=0');
    await http().get('/console/api/session').set('Cookie', session).expect(401);
    await http().get('/console/api/deliveries').set('Cookie', session).expect(401);
  });

  it('refuses every API call without a session, and every action without the CSRF token or from another origin', async () => {
    for (const [method, path] of [
      ['get', '/console/api/deliveries'],
      ['get', '/console/api/rooms'],
      ['get', '/console/api/queue'],
      ['get', '/console/api/tokens'],
      ['get', '/console/api/events'],
      ['post', '/console/api/deliveries/test'],
      ['delete', '/console/api/rooms/demo'],
      ['delete', '/console/api/rooms/demo/participants/alice'],
      ['post', '/console/api/rooms/demo/participants/alice/tracks/TR_x/mute'],
      ['post', '/console/api/rooms/demo/data'],
      ['post', '/console/api/queue/dead-letters/EV_1/replay'],
    ] as const) {
      const res = await http()[method](path).set('Cookie', 'livekit_console_session=forged').send({});
      expect([path, res.status, res.body]).toEqual([path, 401, { errorMessage: 'sign in to the console' }]);
    }
    const { cookie, csrf } = await signIn();
    for (const [method, path] of [
      ['post', '/console/api/deliveries/test'],
      ['delete', '/console/api/rooms/demo'],
      ['delete', '/console/api/rooms/demo/participants/alice'],
      ['post', '/console/api/rooms/demo/participants/alice/tracks/TR_x/mute'],
      ['post', '/console/api/rooms/demo/data'],
      ['post', '/console/api/queue/dead-letters/EV_1/replay'],
      ['delete', '/console/api/queue/dead-letters/EV_1'],
    ] as const) {
      const none = await http()[method](path).set('Cookie', cookie).send({});
      expect([path, none.status]).toEqual([path, 403]);
      const wrong = await http()[method](path).set('Cookie', cookie).set(LIVEKIT_CONSOLE_CSRF_HEADER, `${csrf}x`).send({});
      expect([path, wrong.status]).toEqual([path, 403]);
      const foreign = await http()
        [method](path)
        .set('Cookie', cookie)
        .set(LIVEKIT_CONSOLE_CSRF_HEADER, csrf)
        .set('Origin', 'http://evil.example')
        .send({});
      expect([path, foreign.status, foreign.body]).toEqual([
        path,
        403,
        { errorMessage: 'console actions are accepted from the console page only (Origin mismatch)' },
      ]);
      const crossSite = await http()
        [method](path)
        .set('Cookie', cookie)
        .set(LIVEKIT_CONSOLE_CSRF_HEADER, csrf)
        .set('Sec-Fetch-Site', 'cross-site')
        .send({});
      expect([path, crossSite.status]).toEqual([path, 403]);
    }
    await http().get('/console/api/session').set('Cookie', cookie).set('Origin', 'http://evil.example').expect(403);
    await http().post('/console/api/session').set('Origin', 'http://evil.example').send({ token: ADMIN_TOKEN }).expect(403);
    // With the proof, from the page's own origin, the action runs.
    await http()
      .post('/console/api/deliveries/test')
      .set('Cookie', cookie)
      .set(LIVEKIT_CONSOLE_CSRF_HEADER, csrf)
      .set('Origin', origin)
      .send({})
      .expect(200);
  });

  it('lists a forged webhook as refused with its reason, a valid one as processed with its handlers, a redelivery as duplicate', async () => {
    const { cookie } = await signIn();
    const forgedEvent = liveKitWebhookEvent('participant_joined', { participant: { identity: 'mallory' } });
    const forged = await postLiveKitWebhook(app, forgedEvent, {
      apiKey: API_KEY,
      apiSecret: 'not-the-secret-0123456789abcdef012345',
      path: '/livekit/webhook',
    });
    expect(forged.status).toBe(401);
    const tampered = await postLiveKitWebhook(app, forgedEvent, {
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      path: '/livekit/webhook',
      tamper: (r) => (r.body = Buffer.from(r.body.toString().replace('mallory', 'mallorz'))),
    });
    expect(tampered.status).toBe(401);
    const refused = await deliveries(cookie, '?outcome=refused');
    expect(refused.slice(0, 2).map((d) => [d.verification, d.status, d.reason])).toEqual([
      ['refused', 401, 'hash_mismatch'],
      ['refused', 401, 'invalid_signature'],
    ]);

    const event = liveKitWebhookEvent('participant_joined', { participant: { identity: 'alice' } });
    expect((await postLiveKitWebhook(app, event, { apiKey: API_KEY, apiSecret: API_SECRET, path: '/livekit/webhook' })).status).toBe(200);
    expect((await postLiveKitWebhook(app, event, { apiKey: API_KEY, apiSecret: API_SECRET, path: '/livekit/webhook' })).status).toBe(200);
    const [again, first] = (await deliveries(cookie, '?event=participant_joined')).filter((d) => d.id === event.id);
    expect(first).toMatchObject({
      verification: 'verified',
      outcome: 'processed',
      status: 200,
      room: 'test-room',
      participant: 'alice',
      duplicate: false,
    });
    expect(first!.handlers).toEqual([
      expect.objectContaining({ handler: 'ConsoleProbeHandlers.joined', ok: true, ms: expect.any(Number) }),
    ]);
    expect(again).toMatchObject({ outcome: 'duplicate', duplicate: true, handlers: [] });

    const failing = liveKitWebhookEvent('participant_left', { participant: { identity: 'bob' } });
    expect((await postLiveKitWebhook(app, failing, { apiKey: API_KEY, apiSecret: API_SECRET, path: '/livekit/webhook' })).status).toBe(500);
    const [failed] = (await deliveries(cookie, '?outcome=failed')).filter((d) => d.id === failing.id);
    expect(failed).toMatchObject({
      status: 500,
      handlers: [expect.objectContaining({ handler: 'ConsoleProbeHandlers.left', ok: false, error: 'cannot handle bob' })],
    });
    await http().get('/console/api/deliveries?event=').set('Cookie', cookie).expect(200);
    await http()
      .get(`/console/api/deliveries?event=${'x'.repeat(65)}`)
      .set('Cookie', cookie)
      .expect(400);
  });

  it('streams "send test event" live: signed, posted to our own endpoint, processed by the handlers', async () => {
    const { cookie, csrf } = await signIn();
    const stream = await openSse(`${origin}/console/api/events`, { Cookie: cookie });
    try {
      expect(stream.status).toBe(200);
      await stream.next((e) => e.type === 'hello');
      const sent = await http()
        .post('/console/api/deliveries/test')
        .set('Cookie', cookie)
        .set(LIVEKIT_CONSOLE_CSRF_HEADER, csrf)
        .send({ event: 'participant_joined' })
        .expect(200);
      const result = sent.body as { id: string; status: number; url: string };
      expect(result).toMatchObject({ status: 200, url: `${origin}/livekit/webhook` });
      const arrived = await stream.next(
        (e) =>
          e.type === 'delivery' &&
          (e.data as LiveKitConsoleDelivery).id === result.id &&
          (e.data as LiveKitConsoleDelivery).outcome === 'processed',
      );
      expect(arrived.data).toMatchObject({
        test: true,
        event: 'participant_joined',
        room: 'console-test',
        handlers: [expect.objectContaining({ ok: true })],
      });
      await http()
        .post('/console/api/deliveries/test')
        .set('Cookie', cookie)
        .set(LIVEKIT_CONSOLE_CSRF_HEADER, csrf)
        .send({ event: 'nope' })
        .expect(400);
      // Signing out ends the stream.
      await http().delete('/console/api/session').set('Cookie', cookie).set(LIVEKIT_CONSOLE_CSRF_HEADER, csrf).expect(204);
      const deadline = Date.now() + 5000;
      while (!stream.ended() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(stream.ended()).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('shows token issuance and refusals by reason from the metrics registry', async () => {
    const { cookie } = await signIn();
    await http().post('/token').send({ roomName: 'demo', participantName: 'alice' }).expect(200);
    await http().post('/token').send({ roomName: 42 }).expect(400);
    const res = await http().get('/console/api/tokens').set('Cookie', cookie).expect(200);
    expect(res.body).toMatchObject({ enabled: true, totals: { issued: { openvidu: 1 }, refused: { invalid_request: 1 } } });
  });

  it('says durable mode is off when the queue module is not registered', async () => {
    const { cookie, csrf } = await signIn();
    expect((await http().get('/console/api/queue').set('Cookie', cookie).expect(200)).body).toEqual({ enabled: false, deadLetters: [] });
    await http()
      .post('/console/api/queue/dead-letters/EV_1/replay')
      .set('Cookie', cookie)
      .set(LIVEKIT_CONSOLE_CSRF_HEADER, csrf)
      .expect(404);
  });
});

/** A host's own sign-in: its users carry `X-Host-Role: operator` (a stand-in for the host's session). */
@Injectable()
class HostOperatorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const role = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['x-host-role'];
    if (role !== 'operator') throw new ForbiddenException('operators only');
    return true;
  }
}

describe.each(ADAPTERS)("operator console behind the host's own guard (%s)", (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await createApp(adapter, [
      LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: 'ws://127.0.0.1:9' }),
      LiveKitWebhookModule.forRoot(),
      LiveKitConsoleModule.forRoot({ guard: HostOperatorGuard, path: 'ops/console', roomsPollIntervalMs: 60_000 }),
    ]));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('signs in whom the host guard lets through, and runs that guard on every call', async () => {
    const http = () => request(app.getHttpServer());
    expect((await http().get('/ops/console/api/sign-in').expect(200)).body).toEqual({ mode: 'guard' });
    await http().post('/ops/console/api/session').send({}).expect(403);
    const res = await http().post('/ops/console/api/session').set('X-Host-Role', 'operator').send({}).expect(201);
    const cookie = String(([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]);
    expect(cookie).toContain('Path=/ops/console;');
    const session = cookie.split(';')[0]!;
    await http().get('/ops/console/api/deliveries').set('Cookie', session).set('X-Host-Role', 'operator').expect(200);
    // The host revoked the user: our session alone is not enough.
    await http().get('/ops/console/api/deliveries').set('Cookie', session).expect(403);
    await http().get('/ops/console/api/deliveries').set('X-Host-Role', 'operator').expect(401);
    expect((await http().get('/ops/console').expect(200)).text).toContain('<base href="/ops/console/" />');
  });
});

describe('operator console in the standalone server', () => {
  it('is off by default', async () => {
    const off = await startStandalone('express');
    try {
      await request(off.app.getHttpServer()).get('/console').expect(404);
    } finally {
      await off.close();
    }
  });

  it('is served with CONSOLE_ENABLED=true, signs in with ADMIN_API_TOKEN, and its test event reaches its own webhook', async () => {
    // Modules behind a setting are decided when the process starts: a process of its own.
    const server = await spawnStandalone({ CONSOLE_ENABLED: 'true', ADMIN_API_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn' });
    try {
      await waitUntilListening(server);
      const url = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${url}/console`)).status).toBe(200);
      const post = (body: unknown) =>
        fetch(`${url}/console/api/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post({ token: 'wrong' })).status).toBe(401);
      const signedIn = await post({ token: ADMIN_TOKEN });
      expect(signedIn.status).toBe(201);
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
      const sent = await fetch(`${url}/console/api/deliveries/test`, {
        method: 'POST',
        headers: { Cookie: cookie, [LIVEKIT_CONSOLE_CSRF_HEADER]: csrfToken, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(sent.status).toBe(200);
      expect(await sent.json()).toMatchObject({ status: 200, url: `${url}/livekit/webhook` });
    } finally {
      await server.stop();
    }
  });
});
