import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { LOOPBACK } from './support/free-port';
import { info, RedisProcess } from './support/redis-topology';
import { waitFor } from './support/spawn-server';
import { startStandalone, TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';
import { signWebhook, webhookBody } from './support/webhook-signer';

/**
 * `replication` (WEBHOOK_QUEUE_MIN_REPLICAS): the webhook is answered 200 only once Redis `WAIT`, on the
 * connection that wrote the event, confirms that replicas hold it. A primary and a replica, started here. The
 * replica is stopped (SIGSTOP): it stays connected, as a lagging replica does, but acknowledges nothing. The write
 * still succeeds on the primary, so only the `WAIT` can refuse the webhook. The Sentinel and Cluster suites cover
 * a replica that is disconnected and a primary that dies.
 */
jest.setTimeout(90_000);

describe('acknowledged means replicated (WEBHOOK_QUEUE_MIN_REPLICAS) on one primary with a replica', () => {
  let primary: RedisProcess | undefined;
  let replica: RedisProcess | undefined;
  let app: INestApplication | undefined;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    primary = await RedisProcess.data();
    replica = await RedisProcess.data(['--replicaof', LOOPBACK, String(primary.port)]);
    await waitFor(async () => (await info(replica as RedisProcess)).get('master_link_status') === 'up', 15_000, 'the replica in sync');
    ({ app, close } = await startStandalone('fastify', {
      LIVEKIT_URL: undefined,
      WEBHOOK_MODE: 'queue',
      REDIS_URL: `redis://${LOOPBACK}:${primary.port}`,
      WEBHOOK_QUEUE_WORKERS: 'false',
      WEBHOOK_QUEUE_MIN_REPLICAS: '1',
      WEBHOOK_QUEUE_REPLICATION_TIMEOUT_MS: '300',
    }));
    const server = app.getHttpServer();
    await waitFor(async () => (await request(server).get('/health/ready')).status === 200, 15_000, 'the queue connected');
  });

  afterAll(async () => {
    await close?.();
    await replica?.destroy();
    await primary?.destroy();
  });

  const post = async () => {
    const signed = await signWebhook(TEST_API_KEY, TEST_API_SECRET, webhookBody('room_started'));
    const started = Date.now();
    const res = await request((app as INestApplication).getHttpServer())
      .post('/livekit/webhook')
      .set('Content-Type', 'application/webhook+json')
      .set('Authorization', signed.authorization)
      .send(signed.body.toString('utf8'));
    return { signed, res, ms: Date.now() - started };
  };

  it('answers 200 once the replica holds the event, 503 within the bound while it lags, and 200 on the retry', async () => {
    const ok = await post();
    expect(ok.res.status).toBe(200);
    expect(ok.res.body).toEqual({ status: 'queued', id: ok.signed.id });

    await (replica as RedisProcess).signal('SIGSTOP');
    try {
      const lagging = await post();
      expect(lagging.res.status).toBe(503);
      expect(lagging.res.body).toEqual({ errorMessage: 'webhook queue unavailable; LiveKit will retry' });
      expect(lagging.ms).toBeLessThan(3000); // enqueue timeout (2 s) + replication timeout (0.3 s) at most
      // Readiness still says ready: the replica is connected; the refusal is per write.
      const metrics = await request((app as INestApplication).getHttpServer()).get('/metrics');
      expect(metrics.text).toMatch(/^livekit_redis_replica_waits_total\{outcome="short"\} [1-9]/m);

      await (replica as RedisProcess).signal('SIGCONT');
      // LiveKit's retry of the refused event: the job is already on the primary, the retry confirms it.
      const retried = await request((app as INestApplication).getHttpServer())
        .post('/livekit/webhook')
        .set('Content-Type', 'application/webhook+json')
        .set('Authorization', lagging.signed.authorization)
        .send(lagging.signed.body.toString('utf8'));
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual({ status: 'queued', id: lagging.signed.id });
      expect(Number(await (replica as RedisProcess).command('EXISTS', `bull:livekit-webhooks:${lagging.signed.id}`))).toBe(1);
    } finally {
      await (replica as RedisProcess).signal('SIGCONT');
    }
  });

  it('is not ready, with the reason, while the primary has fewer replicas than asked', async () => {
    const server = (app as INestApplication).getHttpServer();
    await waitFor(async () => (await request(server).get('/health/ready')).status === 200, 15_000, 'ready with the replica');
    await (replica as RedisProcess).signal('SIGKILL');
    await waitFor(async () => (await request(server).get('/health/ready')).status === 503, 15_000, 'not ready without it');
    const ready = await request(server).get('/health/ready');
    expect(ready.body.error.redis.message).toBe(
      'the Redis primary has 0 replica(s) connected, fewer than replication.minReplicas (1): webhooks answer 503 until one (re)joins',
    );
    expect((await post()).res.status).toBe(503);
  });
});
