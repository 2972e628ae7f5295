import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import { LiveKitHealthModule } from '../src/health/livekit-health.module';
import { LiveKitModule } from '../src/livekit/livekit.module';
import { createApp } from './support/create-app';
import { cleanKeys, runKeys, SHARED_REDIS_URL } from './support/queue-cluster';
import { freeTcpPort, waitFor } from './support/spawn-server';
import { ADAPTERS, startStandalone } from './support/standalone-app';

jest.setTimeout(30_000);

/** A stand-in for livekit-server's HTTP port: answers `status`, or never answers when `hang`. */
async function stubLiveKit(status: number, hang = false): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    if (hang) return;
    res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'OK' : 'Bad Gateway');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(ADAPTERS)('health of the standalone server on %s', (adapter) => {
  let livekit: Awaited<ReturnType<typeof stubLiveKit>>;
  let badGateway: Awaited<ReturnType<typeof stubLiveKit>>;
  beforeAll(async () => {
    livekit = await stubLiveKit(200);
    badGateway = await stubLiveKit(502);
  });
  afterAll(async () => {
    await livekit.close();
    await badGateway.close();
  });

  async function withApp(env: Record<string, string | undefined>, run: (app: INestApplication) => Promise<void>): Promise<void> {
    const { app, close } = await startStandalone(adapter, env);
    try {
      await run(app);
    } finally {
      await close();
    }
  }

  it('is live and ready when LiveKit answers on the http form of LIVEKIT_URL', async () => {
    await withApp({ LIVEKIT_URL: livekit.url }, async (app) => {
      await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
      const before = livekit.hits();
      const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        info: { livekit: { status: 'up', url: `${livekit.url.replace('ws:', 'http:')}/`, httpStatus: 200 } },
        error: {},
        details: { livekit: { status: 'up', url: `${livekit.url.replace('ws:', 'http:')}/`, httpStatus: 200 } },
      });
      expect(livekit.hits()).toBe(before + 1);
    });
  });

  it('is not ready, but still live, when nothing listens at LIVEKIT_URL', async () => {
    const port = await freeTcpPort();
    await withApp({ LIVEKIT_URL: `ws://127.0.0.1:${port}` }, async (app) => {
      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
      // terminus' report, not rewritten by the error filter.
      expect(res.body).toMatchObject({
        status: 'error',
        error: { livekit: { status: 'down', message: 'LiveKit server unreachable: ECONNREFUSED' } },
      });
      await request(app.getHttpServer()).get('/health/live').expect(200);
    });
  });

  it('is not ready when a proxy in front of LiveKit answers 5xx', async () => {
    await withApp({ LIVEKIT_URL: badGateway.url }, async (app) => {
      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body.error.livekit).toMatchObject({ status: 'down', message: 'LiveKit server answered HTTP 502' });
    });
  });

  it('does not check LiveKit when LIVEKIT_URL is not set', async () => {
    await withApp({ LIVEKIT_URL: undefined }, async (app) => {
      await request(app.getHttpServer()).get('/health/ready').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    });
  });

  describe('in queue mode', () => {
    const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
    const prefixes: string[] = [];
    afterAll(async () => {
      await cleanKeys(redis, ...prefixes);
      await redis.quit();
    });
    const queueEnv = (url: string) => {
      const { prefix } = runKeys('health');
      prefixes.push(prefix);
      return { LIVEKIT_URL: undefined, WEBHOOK_MODE: 'queue', REDIS_URL: url, WEBHOOK_QUEUE_PREFIX: prefix };
    };

    /** Readiness once the queue's connection is up (it connects in the background at boot). */
    const readyOnceConnected = async (app: INestApplication) => {
      await waitFor(async () => (await request(app.getHttpServer()).get('/health/ready')).body?.info?.redis !== undefined, 5000, 'Redis');
      return request(app.getHttpServer()).get('/health/ready');
    };

    it('is ready when the queue Redis answers', async () => {
      await withApp(queueEnv(SHARED_REDIS_URL), async (app) => {
        const res = await readyOnceConnected(app);
        expect(res.status).toBe(200);
        expect(res.body.details).toEqual({ redis: { status: 'up' } });
      });
    });

    it('is not ready, but still live, when the queue Redis is unreachable', async () => {
      await withApp(queueEnv(`redis://127.0.0.1:${await freeTcpPort()}`), async (app) => {
        const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
        expect(res.body.error).toEqual({ redis: { status: 'down', message: 'webhook queue Redis does not answer PING' } });
        await request(app.getHttpServer()).get('/health/live').expect(200);
      });
    });

    it('checks LiveKit and Redis together', async () => {
      await withApp({ ...queueEnv(SHARED_REDIS_URL), LIVEKIT_URL: badGateway.url }, async (app) => {
        const res = await readyOnceConnected(app);
        expect(res.status).toBe(503);
        expect(res.body.info).toEqual({ redis: { status: 'up' } });
        expect(Object.keys(res.body.error)).toEqual(['livekit']);
      });
    });
  });
});

describe.each(ADAPTERS)('LiveKitHealthModule options on %s', (adapter) => {
  it('times a silent LiveKit out after timeoutMs, and serves under its own path', async () => {
    const silent = await stubLiveKit(200, true);
    const { app } = await createApp(adapter, [
      LiveKitModule.forRoot({ apiKey: 'k', apiSecret: 's', url: silent.url }),
      LiveKitHealthModule.forRoot({ path: 'probes', timeoutMs: 200 }),
    ]);
    try {
      const started = Date.now();
      const res = await request(app.getHttpServer()).get('/probes/ready').expect(503);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.body.error.livekit.message).toBe('LiveKit server did not answer within 200 ms');
      await request(app.getHttpServer()).get('/health/ready').expect(404);
    } finally {
      await app.close();
      await silent.close();
    }
  });

  it('leaves LiveKit out of readiness with livekit: false', async () => {
    const { app } = await createApp(adapter, [
      LiveKitModule.forRoot({ apiKey: 'k', apiSecret: 's', url: `ws://127.0.0.1:${await freeTcpPort()}` }),
      LiveKitHealthModule.forRoot({ livekit: false }),
    ]);
    try {
      await request(app.getHttpServer()).get('/health/ready').expect(200);
    } finally {
      await app.close();
    }
  });
});
