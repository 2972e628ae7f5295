import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { LiveKitModule } from '../src/livekit/livekit.module';
import { LiveKitTokenRateLimitModule } from '../src/rate-limit/livekit-token-rate-limit.module';
import { LiveKitTokenModule } from '../src/token/livekit-token.module';
import { createApp } from './support/create-app';
import { cleanKeys, SHARED_REDIS_URL } from './support/queue-cluster';
import { freeTcpPort } from './support/spawn-server';
import { ADAPTERS, startStandalone, TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';
import { signWebhook, webhookBody } from './support/webhook-signer';

jest.setTimeout(30_000);

const TOO_MANY = /^too many token requests; retry in \d+ s$/;
const openvidu = (app: INestApplication, headers: Record<string, string> = {}) =>
  request(app.getHttpServer()).post('/token').set(headers).send({ roomName: 'r', participantName: 'p' });
const standard = (app: INestApplication) => request(app.getHttpServer()).post('/livekit/token').send({ room_name: 'r' });

const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
const prefixes: string[] = [];
const redisPrefix = () => {
  const prefix = `lk-ratelimit-test-${randomUUID().slice(0, 8)}:`;
  prefixes.push(prefix);
  return prefix;
};
afterAll(async () => {
  await cleanKeys(redis, ...prefixes);
  await redis.quit();
});

describe.each(ADAPTERS)('token rate limit of the standalone server on %s', (adapter) => {
  it('answers 429 {errorMessage} with Retry-After past TOKEN_RATE_LIMIT, per endpoint, and never limits the webhook', async () => {
    const { app, close } = await startStandalone(adapter, { TOKEN_RATE_LIMIT: '3', TOKEN_RATE_TTL: '1m', REDIS_URL: undefined });
    try {
      for (let i = 0; i < 3; i += 1) {
        const ok = await openvidu(app).expect(200);
        expect(ok.headers['x-ratelimit-limit']).toBe('3');
        expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - i));
      }
      const refused = await openvidu(app).expect(429);
      expect(refused.body).toEqual({ errorMessage: expect.stringMatching(TOO_MANY) });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);

      // Each token endpoint has its own counter.
      await standard(app).expect(201);

      for (let i = 0; i < 8; i += 1) {
        const signed = await signWebhook(TEST_API_KEY, TEST_API_SECRET, webhookBody('room_started'));
        await request(app.getHttpServer())
          .post('/webhook')
          .set('Content-Type', 'application/webhook+json')
          .set('Authorization', signed.authorization)
          .send(signed.body.toString('utf8'))
          .expect(200);
      }
      await request(app.getHttpServer()).get('/health/live').expect(200);
    } finally {
      await close();
    }
  });

  it('limits nothing when TOKEN_RATE_LIMIT is not set', async () => {
    const { app, close } = await startStandalone(adapter, { TOKEN_RATE_LIMIT: undefined });
    try {
      for (let i = 0; i < 15; i += 1) {
        const res = await openvidu(app).expect(200);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
    } finally {
      await close();
    }
  });

  /** The standalone app listening on 127.0.0.1, so that supertest's socket address is 127.0.0.1. */
  async function listening(env: Record<string, string | undefined>) {
    const started = await startStandalone(adapter, { TOKEN_RATE_LIMIT: '1', REDIS_URL: undefined, ...env });
    await started.app.listen(0, '127.0.0.1');
    return started;
  }
  const forwardedFor = (address: string) => ({ 'X-Forwarded-For': address });

  it.each([
    ['by default', undefined],
    ['when the direct client is not a trusted proxy (TRUST_PROXY=10.0.0.0/8)', '10.0.0.0/8'],
  ])('counts by the socket address %s: rotating X-Forwarded-For gives no fresh quota', async (_case, trustProxy) => {
    const { app, close } = await listening({ TRUST_PROXY: trustProxy });
    try {
      await openvidu(app, forwardedFor('203.0.113.1')).expect(200);
      for (let i = 2; i < 6; i += 1) await openvidu(app, forwardedFor(`203.0.113.${i}`)).expect(429);
      await openvidu(app).expect(429);
    } finally {
      await close();
    }
  });

  it.each([
    ['the proxy address', '127.0.0.1'],
    ['a range holding it', '127.0.0.0/8, 10.0.0.0/8'],
    ['a hop count', '1'],
  ])('counts by the X-Forwarded-For address from a proxy named by %s (TRUST_PROXY=%s)', async (_case, trustProxy) => {
    const { app, close } = await listening({ TRUST_PROXY: trustProxy });
    try {
      await openvidu(app, forwardedFor('203.0.113.1')).expect(200);
      await openvidu(app, forwardedFor('203.0.113.1')).expect(429);
      // The client's address is the last one the trusted proxy appended, whatever the client wrote before it.
      await openvidu(app, forwardedFor('198.51.100.7, 203.0.113.1')).expect(429);
      await openvidu(app, forwardedFor('203.0.113.2')).expect(200);
    } finally {
      await close();
    }
  });

  it('refuses TRUST_PROXY=true at boot, and a TRUST_PROXY entry that is not an address or a CIDR', async () => {
    await expect(startStandalone(adapter, { TRUST_PROXY: 'true' })).rejects.toThrow(
      /^TRUST_PROXY must not be true: trusting every hop lets any client choose its address\. Fix: name your proxies: a hop count such as 1, or their addresses\/CIDRs such as 10\.0\.0\.0\/8$/,
    );
    await expect(startStandalone(adapter, { TRUST_PROXY: '10.0.0.0/8, proxy.internal' })).rejects.toThrow(
      /^TRUST_PROXY has "proxy\.internal", which is not an address, a CIDR or a hop count/,
    );
  });

  it('holds the limit across two instances sharing Redis', async () => {
    const env = { TOKEN_RATE_LIMIT: '3', TOKEN_RATE_TTL: '1m', REDIS_URL: SHARED_REDIS_URL, TOKEN_RATE_REDIS_PREFIX: redisPrefix() };
    const first = await startStandalone(adapter, env);
    const second = await startStandalone(adapter, env);
    try {
      await openvidu(first.app).expect(200);
      await openvidu(second.app).expect(200);
      await openvidu(first.app).expect(200);
      const refused = await openvidu(second.app).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
      await openvidu(first.app).expect(429);
      // The other endpoint's counter is untouched on both.
      await standard(second.app).expect(201);
      expect(await redis.keys(`${env.TOKEN_RATE_REDIS_PREFIX}*`)).not.toHaveLength(0);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('lets a blocked client in again once the block has expired (Redis)', async () => {
    const env = { TOKEN_RATE_LIMIT: '1', TOKEN_RATE_TTL: '1s', REDIS_URL: SHARED_REDIS_URL, TOKEN_RATE_REDIS_PREFIX: redisPrefix() };
    const { app, close } = await startStandalone(adapter, env);
    try {
      await openvidu(app).expect(200);
      const refused = await openvidu(app).expect(429);
      expect(refused.headers['retry-after']).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await openvidu(app).expect(200);
      await openvidu(app).expect(429);
    } finally {
      await close();
    }
  });

  it('lets requests through uncounted while its Redis is unreachable (fail open)', async () => {
    const env = { TOKEN_RATE_LIMIT: '1', REDIS_URL: `redis://127.0.0.1:${await freeTcpPort()}`, TOKEN_RATE_REDIS_PREFIX: redisPrefix() };
    const { app, close } = await startStandalone(adapter, env);
    try {
      for (let i = 0; i < 4; i += 1) await openvidu(app).expect(200);
    } finally {
      await close();
    }
  });
});

@Controller('host')
class HostPingController {
  @Get('ping')
  ping(): { pong: true } {
    return { pong: true };
  }
}

@Module({ controllers: [HostPingController] })
class HostPingModule {}

describe.each(ADAPTERS)('LiveKitTokenRateLimitModule in a host app on %s', (adapter) => {
  it("limits only our token routes, never the host's own", async () => {
    const { app } = await createApp(adapter, [
      LiveKitModule.forRoot({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET }),
      LiveKitTokenModule.forRoot(),
      LiveKitTokenRateLimitModule.forRoot({ limit: 1, ttl: 60_000 }),
      HostPingModule,
    ]);
    try {
      await openvidu(app).expect(200);
      await openvidu(app).expect(429);
      for (let i = 0; i < 5; i += 1) await request(app.getHttpServer()).get('/host/ping').expect(200);
    } finally {
      await app.close();
    }
  });

  it('does nothing with enabled: false, and refuses a missing limit at boot', async () => {
    const { app } = await createApp(adapter, [
      LiveKitModule.forRoot({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET }),
      LiveKitTokenModule.forRoot(),
      LiveKitTokenRateLimitModule.forRoot({ enabled: false }),
    ]);
    try {
      for (let i = 0; i < 5; i += 1) await openvidu(app).expect(200);
    } finally {
      await app.close();
    }
    await expect(
      createApp(adapter, [
        LiveKitModule.forRoot({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET }),
        LiveKitTokenModule.forRoot(),
        LiveKitTokenRateLimitModule.forRoot({}),
      ]),
    ).rejects.toThrow(/token rate limit is enabled without a limit\. Fix:/);
  });
});
