import { Injectable, type INestApplication } from '@nestjs/common';
import { SignJWT } from 'jose';
import type { WebhookEvent } from 'livekit-server-sdk';
import { Redis } from 'ioredis';
import request from 'supertest';
import { LiveKitModule } from '../src/livekit/livekit.module';
import { LiveKitMetricsModule } from '../src/metrics/livekit-metrics.module';
import { LiveKitWebhookQueueModule } from '../src/queue/livekit-webhook-queue.module';
import { LiveKitTokenModule } from '../src/token/livekit-token.module';
import { LiveKitTokenService } from '../src/token/livekit-token.service';
import { LiveKitWebhookModule } from '../src/webhook/livekit-webhook.module';
import { LiveKitWebhookListener, OnLiveKitEvent } from '../src/webhook/on-livekit-event.decorator';
import { createApp } from './support/create-app';
import { sampleValue } from './support/prometheus-text';
import { cleanKeys, runKeys, SHARED_REDIS_URL } from './support/queue-cluster';
import { freeTcpPort, waitFor } from './support/spawn-server';
import { ADAPTERS, startStandalone } from './support/standalone-app';
import { sha256Base64, signWebhook, webhookBody } from './support/webhook-signer';

jest.setTimeout(30_000);

const KEY = 'metrics-key';
const SECRET = 'metrics-secret-0123456789abcdef0123456789ab';

/** One handler that fails on demand, one that can be made slow. */
@Injectable()
@LiveKitWebhookListener()
class MetricsListener {
  failuresLeft = 0;
  slowMs = 0;
  joined = 0;

  @OnLiveKitEvent('participant_joined')
  onJoin(): void {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('database unavailable');
    }
    this.joined += 1;
  }

  @OnLiveKitEvent('track_published')
  async onTrack(_event: WebhookEvent): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.slowMs));
  }
}

const listenerModule = { module: class MetricsListenerModule {}, providers: [MetricsListener] };
const hmac = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

describe.each(ADAPTERS)('metrics on %s', (adapter) => {
  let app: INestApplication;
  let listener: MetricsListener;

  beforeAll(async () => {
    ({ app } = await createApp(
      adapter,
      [
        LiveKitModule.forRoot({ apiKey: KEY, apiSecret: SECRET, webhookHandlerTimeoutMs: 200 }),
        LiveKitTokenModule.forRoot(),
        LiveKitWebhookModule.forRoot(),
        LiveKitMetricsModule.forRoot({ defaultMetrics: false }),
        listenerModule,
      ],
      { rawBody: true },
    ));
    listener = app.get(MetricsListener);
  });
  afterAll(() => app.close());

  const scrape = async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; .*version=0\.0\.4/);
    return res.text;
  };
  const webhook = (body: Buffer, authorization?: string) => {
    const req = request(app.getHttpServer()).post('/webhook').set('Content-Type', 'application/webhook+json');
    if (authorization !== undefined) req.set('Authorization', authorization);
    return req.send(body.toString('utf8'));
  };

  it('exposes every series at 0 before traffic, and no default process metrics when turned off', async () => {
    const text = await scrape();
    expect(sampleValue(text, 'livekit_tokens_issued_total', { endpoint: 'openvidu' })).toBe(0);
    expect(sampleValue(text, 'livekit_webhooks_rejected_total', { reason: 'hash_mismatch' })).toBe(0);
    expect(text).not.toContain('process_cpu_user_seconds_total');
    // Queue gauges only exist in queue mode.
    expect(text).not.toContain('livekit_webhook_queue_depth');
  });

  it('counts tokens issued by endpoint, and not refused requests', async () => {
    const server = app.getHttpServer();
    await request(server).post('/token').send({ roomName: 'r', participantName: 'a' }).expect(200);
    await request(server).post('/token').send({ roomName: 'r', participantName: 'b' }).expect(200);
    await request(server).post('/livekit/token').send({ room_name: 'r' }).expect(201);
    await request(server).post('/token').send({ roomName: 'r' }).expect(400);
    await app.get(LiveKitTokenService).mint({ identity: 'svc', roomName: 'r', grants: {} });
    const text = await scrape();
    expect(sampleValue(text, 'livekit_tokens_issued_total', { endpoint: 'openvidu' })).toBe(2);
    expect(sampleValue(text, 'livekit_tokens_issued_total', { endpoint: 'standard' })).toBe(1);
    expect(sampleValue(text, 'livekit_tokens_issued_total', { endpoint: 'direct' })).toBe(1);
  });

  it('counts verified webhooks by event, and a redelivery as a duplicate', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    await webhook(signed.body, signed.authorization).expect(200);
    await webhook(signed.body, signed.authorization).expect(200, { status: 'duplicate', id: signed.id });
    const room = await signWebhook(KEY, SECRET, webhookBody('room_started'));
    await webhook(room.body, room.authorization).expect(200);
    const text = await scrape();
    expect(sampleValue(text, 'livekit_webhooks_received_total', { event: 'participant_joined' })).toBe(2);
    expect(sampleValue(text, 'livekit_webhooks_received_total', { event: 'room_started' })).toBe(1);
    expect(sampleValue(text, 'livekit_webhooks_duplicate_total', { event: 'participant_joined' })).toBe(1);
    expect(sampleValue(text, 'livekit_webhook_handler_duration_seconds_count', { handler: 'MetricsListener.onJoin' })).toBe(1);
  });

  it('counts 401s by reason, and not as received', async () => {
    const body = Buffer.from(JSON.stringify(webhookBody('room_started')));
    const now = Math.floor(Date.now() / 1000);
    const sha256 = sha256Base64(body);
    await webhook(body).expect(401);
    await webhook(body, 'not-a-jwt').expect(401);
    await webhook(body, (await signWebhook('nobody', SECRET, body)).authorization).expect(401);
    await webhook(body, (await signWebhook(KEY, 'forged-secret-0123456789abcdef0123456789', body)).authorization).expect(401);
    await webhook(body, await hmac({ iss: KEY, sha256, nbf: now - 120, exp: now - 60 })).expect(401);
    await webhook(body, (await signWebhook(KEY, SECRET, body, { hashOf: Buffer.from('other') })).authorization).expect(401);
    const text = await scrape();
    for (const reason of ['missing_authorization', 'malformed_token', 'unknown_key', 'invalid_signature', 'expired', 'hash_mismatch']) {
      expect([reason, sampleValue(text, 'livekit_webhooks_rejected_total', { reason })]).toEqual([reason, 1]);
    }
    expect(sampleValue(text, 'livekit_webhooks_received_total', { event: 'room_started' })).toBe(1);
  });

  it('counts handler failures and measures the failed run too', async () => {
    listener.failuresLeft = 1;
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    await webhook(signed.body, signed.authorization).expect(500);
    await webhook(signed.body, signed.authorization).expect(200, { status: 'processed', id: signed.id });
    const text = await scrape();
    expect(sampleValue(text, 'livekit_webhook_handler_failures_total', { handler: 'MetricsListener.onJoin' })).toBe(1);
    expect(sampleValue(text, 'livekit_webhook_handler_duration_seconds_count', { handler: 'MetricsListener.onJoin' })).toBe(3);
  });

  it('counts timeouts, and records the slow handler duration once it finishes', async () => {
    listener.slowMs = 400;
    const signed = await signWebhook(KEY, SECRET, webhookBody('track_published', { track: { sid: 'TR_1' } }));
    await webhook(signed.body, signed.authorization).expect(503);
    expect(sampleValue(await scrape(), 'livekit_webhook_timeouts_total', { event: 'track_published' })).toBe(1);
    await waitFor(
      async () =>
        (sampleValue(await scrape(), 'livekit_webhook_handler_duration_seconds_count', { handler: 'MetricsListener.onTrack' }) ?? 0) >= 1,
      5000,
      'the slow handler to be measured',
    );
    const text = await scrape();
    expect(sampleValue(text, 'livekit_webhook_handler_duration_seconds_bucket', { handler: 'MetricsListener.onTrack', le: '0.25' })).toBe(
      0,
    );
    expect(sampleValue(text, 'livekit_webhook_handler_duration_seconds_bucket', { handler: 'MetricsListener.onTrack', le: '0.5' })).toBe(1);
  });
});

describe.each(ADAPTERS)('metrics of the standalone server on %s', (adapter) => {
  it('serves /metrics with process metrics and counts its own traffic', async () => {
    const { app, close } = await startStandalone(adapter);
    try {
      await request(app.getHttpServer()).post('/token').send({ roomName: 'r', participantName: 'p' }).expect(200);
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(sampleValue(res.text, 'livekit_tokens_issued_total', { endpoint: 'openvidu' })).toBe(1);
      expect(res.text).toContain('process_cpu_user_seconds_total');
      expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    } finally {
      await close();
    }
  });
});

describe.each(ADAPTERS)('queue metrics on %s', (adapter) => {
  const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const prefixes: string[] = [];
  afterAll(async () => {
    await cleanKeys(redis, ...prefixes);
    await redis.quit();
  });

  async function queueApp(url: string) {
    const { prefix } = runKeys('metrics');
    prefixes.push(prefix);
    const { app } = await createApp(
      adapter,
      [
        LiveKitModule.forRoot({ apiKey: KEY, apiSecret: SECRET }),
        LiveKitWebhookModule.forRoot(),
        LiveKitWebhookQueueModule.forRoot({ url, prefix, attempts: 1, backoffDelayMs: 10 }),
        LiveKitMetricsModule.forRoot({ defaultMetrics: false }),
        listenerModule,
      ],
      { rawBody: true },
    );
    return app;
  }

  it('exposes depth, dead letters and Redis state, and measures handlers run by the workers', async () => {
    const app = await queueApp(SHARED_REDIS_URL);
    try {
      const listener = app.get(MetricsListener);
      listener.failuresLeft = 1;
      const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
      await request(app.getHttpServer())
        .post('/webhook')
        .set('Content-Type', 'application/webhook+json')
        .set('Authorization', signed.authorization)
        .send(signed.body.toString('utf8'))
        .expect(200, { status: 'queued', id: signed.id });
      const scrape = async () => (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
      await waitFor(async () => sampleValue(await scrape(), 'livekit_webhook_queue_dead_letters') === 1, 10_000, 'the dead letter');
      const text = await scrape();
      expect(sampleValue(text, 'livekit_webhook_queue_depth')).toBe(0);
      expect(sampleValue(text, 'livekit_webhook_queue_redis_up')).toBe(1);
      expect(sampleValue(text, 'livekit_webhook_handler_failures_total', { handler: 'MetricsListener.onJoin' })).toBe(1);
      expect(sampleValue(text, 'livekit_webhooks_received_total', { event: 'participant_joined' })).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('still answers the scrape when the queue Redis is unreachable', async () => {
    const app = await queueApp(`redis://127.0.0.1:${await freeTcpPort()}`);
    try {
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(sampleValue(res.text, 'livekit_webhook_queue_redis_up')).toBe(0);
      expect(sampleValue(res.text, 'livekit_webhook_queue_depth')).toBe(0);
    } finally {
      await app.close();
    }
  });
});
