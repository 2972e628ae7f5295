import type { INestApplication } from '@nestjs/common';
import { TokenVerifier } from 'livekit-server-sdk';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import { LiveKitHealthModule } from '../src/health/livekit-health.module';
import { LiveKitModule } from '../src/livekit/livekit.module';
import { createApp } from './support/create-app';
import { describeWithLiveKitServer, type LiveKitServer, startLiveKitServer } from './support/livekit-server';
import { cleanKeys, runKeys, SHARED_REDIS_URL } from './support/queue-cluster';
import { freeTcpPort, waitFor } from './support/spawn-server';
import { ADAPTERS, startStandalone, TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';

jest.setTimeout(30_000);

const LIST_ROOMS = '/twirp/livekit.RoomService/ListRooms';
const OTHER_SECRET = 'other-secret-0123456789abcdef0123456789abcdef';
/** Every JWT starts with the base64url of '{"'. */
const JWT_START = 'eyJ';

interface StubOptions {
  /** Answer every request with this status and a text body, as a proxy without upstream would. */
  status?: number;
  /** Never answer. */
  hang?: boolean;
  /** Hold each RoomService answer this long, in ms. */
  holdMs?: number;
}

interface Stub {
  url: string;
  /** Requests received, of any method and path. */
  hits: () => number;
  close: () => Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/**
 * A stand-in for livekit-server's HTTP port. By default it serves RoomService `ListRooms` as livekit-server
 * does: 200 with the rooms when the bearer token is signed with TEST_API_KEY's secret and grants
 * `roomList`, 401 otherwise; 404 elsewhere.
 */
async function stubLiveKit(options: StubOptions = {}): Promise<Stub> {
  let hits = 0;
  const verifier = new TokenVerifier(TEST_API_KEY, TEST_API_SECRET);
  const server: Server = createServer((req, res) => {
    hits += 1;
    if (options.hang) return;
    if (options.status !== undefined) {
      res.writeHead(options.status, { 'Content-Type': 'text/plain' }).end(options.status === 200 ? 'OK' : 'not LiveKit');
      return;
    }
    void (async () => {
      const body = await readBody(req);
      if (req.method !== 'POST' || req.url !== LIST_ROOMS) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
        return;
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const claims = await verifier.verify(token).catch(() => undefined);
      if (claims?.video?.roomList !== true || !Array.isArray((JSON.parse(body) as { names?: unknown }).names)) {
        res.writeHead(401, { 'Content-Type': 'text/plain' }).end('invalid token');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, options.holdMs ?? 0));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"rooms":[]}');
    })();
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

const httpForm = (url: string) => url.replace(/^ws/, 'http');

describe.each(ADAPTERS)('health of the standalone server on %s', (adapter) => {
  async function withApp(env: Record<string, string | undefined>, run: (app: INestApplication) => Promise<void>): Promise<void> {
    const { app, close } = await startStandalone(adapter, env);
    try {
      await run(app);
    } finally {
      await close();
    }
  }

  describeWithLiveKitServer('against the real LiveKit Server', () => {
    let livekit: LiveKitServer;
    beforeAll(async () => {
      livekit = await startLiveKitServer({ keys: { [TEST_API_KEY]: TEST_API_SECRET } });
    });
    afterAll(async () => {
      await livekit?.stop();
    });

    it('is live and ready when the server accepts our API key and secret', async () => {
      await withApp({ LIVEKIT_URL: livekit.url }, async (app) => {
        await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
        const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
        const up = { livekit: { status: 'up', url: livekit.httpUrl } };
        expect(res.body).toEqual({ status: 'ok', info: up, error: {}, details: up });
      });
    });

    it.each([
      ['a secret the server does not have for our key', { LIVEKIT_API_SECRET: OTHER_SECRET }],
      ['an API key the server does not know', { LIVEKIT_API_KEY: 'unknown-key' }],
    ])('is not ready, but still live, with %s', async (_case, credentials) => {
      await withApp({ LIVEKIT_URL: livekit.url, ...credentials }, async (app) => {
        const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
        expect(res.body).toMatchObject({
          status: 'error',
          error: {
            livekit: {
              status: 'down',
              url: livekit.httpUrl,
              reason: 'credentials rejected',
              message: 'LiveKit server rejected our credentials: HTTP 401 (check our API key and secret against its keys)',
            },
          },
        });
        // livekit-server's 401 message quotes the token we sent: the report never does.
        expect(JSON.stringify(res.body)).not.toContain(JWT_START);
        await request(app.getHttpServer()).get('/health/live').expect(200);
      });
    });

    it('becomes not ready, unreachable, once the server is down', async () => {
      const doomed = await startLiveKitServer({ keys: { [TEST_API_KEY]: TEST_API_SECRET } });
      try {
        await withApp({ LIVEKIT_URL: doomed.url }, async (app) => {
          await request(app.getHttpServer()).get('/health/ready').expect(200);
          await doomed.stop();
          // The last result answers probes for up to 1 s more.
          await waitFor(async () => (await request(app.getHttpServer()).get('/health/ready')).status === 503, 10_000, 'not ready');
          const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
          expect(res.body.error.livekit).toEqual({
            status: 'down',
            url: doomed.httpUrl,
            reason: 'unreachable',
            message: 'LiveKit server unreachable: ECONNREFUSED',
          });
        });
      } finally {
        await doomed.stop();
      }
    });
  });

  it('is not ready, but still live, when nothing listens at LIVEKIT_URL', async () => {
    const port = await freeTcpPort();
    await withApp({ LIVEKIT_URL: `ws://127.0.0.1:${port}` }, async (app) => {
      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
      // terminus' report, not rewritten by the error filter.
      expect(res.body).toMatchObject({
        status: 'error',
        error: { livekit: { status: 'down', reason: 'unreachable', message: 'LiveKit server unreachable: ECONNREFUSED' } },
      });
      await request(app.getHttpServer()).get('/health/live').expect(200);
    });
  });

  it.each([
    [502, 'server error', 'a proxy in front of LiveKit has no upstream'],
    [404, 'unexpected answer', 'the RoomService API is not served at LIVEKIT_URL'],
  ])('is not ready on HTTP %d (%s): %s', async (status, reason) => {
    const proxy = await stubLiveKit({ status });
    try {
      await withApp({ LIVEKIT_URL: proxy.url }, async (app) => {
        const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
        expect(res.body.error.livekit).toMatchObject({ status: 'down', reason, message: `LiveKit server answered HTTP ${status}` });
      });
    } finally {
      await proxy.close();
    }
  });

  it('is not ready when what answers at LIVEKIT_URL is not a LiveKit server', async () => {
    // Answers 200 "OK" to anything, as livekit-server does to GET /.
    const anything = await stubLiveKit({ status: 200 });
    try {
      await withApp({ LIVEKIT_URL: anything.url }, async (app) => {
        const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
        expect(res.body.error.livekit).toMatchObject({
          status: 'down',
          reason: 'unexpected answer',
          message: 'LiveKit server did not answer as a LiveKit RoomService does',
        });
      });
    } finally {
      await anything.close();
    }
  });

  it('makes one LiveKit call for probes that arrive together', async () => {
    const livekit = await stubLiveKit({ holdMs: 200 });
    try {
      await withApp({ LIVEKIT_URL: livekit.url }, async (app) => {
        const probes = await Promise.all(Array.from({ length: 5 }, () => request(app.getHttpServer()).get('/health/ready')));
        expect(probes.map((probe) => probe.status)).toEqual([200, 200, 200, 200, 200]);
        expect(probes[0]?.body.details).toEqual({ livekit: { status: 'up', url: httpForm(livekit.url) } });
        expect(livekit.hits()).toBe(1);
      });
    } finally {
      await livekit.close();
    }
  });

  it('does not check LiveKit when LIVEKIT_URL is not set', async () => {
    await withApp({ LIVEKIT_URL: undefined }, async (app) => {
      await request(app.getHttpServer()).get('/health/ready').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    });
  });

  describe('in queue mode', () => {
    const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
    const prefixes: string[] = [];
    let badGateway: Stub;
    beforeAll(async () => {
      badGateway = await stubLiveKit({ status: 502 });
    });
    afterAll(async () => {
      await badGateway.close();
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
  const livekitModule = (url: string) => LiveKitModule.forRoot({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, url });

  it('times a silent LiveKit out after timeoutMs, and serves under its own path', async () => {
    const silent = await stubLiveKit({ hang: true });
    const { app } = await createApp(adapter, [livekitModule(silent.url), LiveKitHealthModule.forRoot({ path: 'probes', timeoutMs: 200 })]);
    try {
      const started = Date.now();
      const res = await request(app.getHttpServer()).get('/probes/ready').expect(503);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.body.error.livekit).toMatchObject({ reason: 'timeout', message: 'LiveKit server did not answer within 200 ms' });
      await request(app.getHttpServer()).get('/health/ready').expect(404);
    } finally {
      await app.close();
      await silent.close();
    }
  });

  it.each([
    [0, 3],
    [60_000, 1],
  ])('with livekitCacheMs: %d, three probes one after another make %d LiveKit calls', async (livekitCacheMs, calls) => {
    const livekit = await stubLiveKit();
    const { app } = await createApp(adapter, [livekitModule(livekit.url), LiveKitHealthModule.forRoot({ livekitCacheMs })]);
    try {
      for (let probe = 0; probe < 3; probe++) await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(livekit.hits()).toBe(calls);
    } finally {
      await app.close();
      await livekit.close();
    }
  });

  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs must be a positive number, got 0'],
    [{ livekitCacheMs: -1 }, 'livekitCacheMs must be zero or more, got -1'],
  ])('refuses to boot with %j', async (options, message) => {
    await expect(createApp(adapter, [livekitModule('ws://127.0.0.1:7880'), LiveKitHealthModule.forRoot(options)])).rejects.toThrow(message);
  });

  it('refuses to boot when the LiveKit url has no HTTP form', async () => {
    await expect(createApp(adapter, [livekitModule('lk.example.com:7880'), LiveKitHealthModule.forRoot()])).rejects.toThrow(
      'has protocol lk.example.com:',
    );
  });

  it('leaves LiveKit out of readiness with livekit: false', async () => {
    const { app } = await createApp(adapter, [
      livekitModule(`ws://127.0.0.1:${await freeTcpPort()}`),
      LiveKitHealthModule.forRoot({ livekit: false }),
    ]);
    try {
      await request(app.getHttpServer()).get('/health/ready').expect(200);
    } finally {
      await app.close();
    }
  });
});
