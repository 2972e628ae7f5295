import { Injectable, type INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { WebhookEvent } from 'livekit-server-sdk';
import request from 'supertest';
import { LiveKitModule } from '../src/livekit/livekit.module';
import type { LiveKitWebhookQueueModuleOptions } from '../src/queue/interfaces/livekit-webhook-queue-module-options.interface';
import { runDeadLettersCommand } from '../src/server/dead-letters.command';
import { LiveKitWebhookDeadLetters } from '../src/queue/livekit-webhook-dead-letters.service';
import { LiveKitWebhookDeadLetterNotFoundError, LiveKitWebhookQueueUnavailableException } from '../src/queue/livekit-webhook-queue.errors';
import { LiveKitWebhookQueueModule } from '../src/queue/livekit-webhook-queue.module';
import { LiveKitWebhookQueue } from '../src/queue/livekit-webhook-queue.service';
import { toJobId } from '../src/queue/webhook-job';
import { LiveKitWebhookModule } from '../src/webhook/livekit-webhook.module';
import { LiveKitWebhookListener, OnLiveKitEvent } from '../src/webhook/on-livekit-event.decorator';
import { createApp } from './support/create-app';
import { CapturedNestLogger } from './support/log-capture';
import { cleanKeys, runKeys, SHARED_REDIS_URL } from './support/queue-cluster';
import { freeTcpPort, waitFor } from './support/spawn-server';
import { ADAPTERS, startStandalone, TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';
import { signWebhook, webhookBody } from './support/webhook-signer';

jest.setTimeout(60_000);

const KEY = 'q-key';
const SECRET = 'q-secret-0123456789abcdef0123456789abcdef';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two handlers of participant_joined (one can be made to fail per event id) and a slow track handler. */
@Injectable()
@LiveKitWebhookListener()
class QueueListener {
  readonly runs: Record<'sturdy' | 'fragile' | 'slow', string[]> = { sturdy: [], fragile: [], slow: [] };
  readonly failing = new Set<string>();
  readonly slowStarted: string[] = [];
  slowMs = 0;

  @OnLiveKitEvent('participant_joined')
  sturdy(event: WebhookEvent): void {
    this.runs.sturdy.push(event.id);
  }

  @OnLiveKitEvent('participant_joined')
  fragile(event: WebhookEvent): void {
    if (this.failing.has(event.id)) throw new Error('database unavailable');
    this.runs.fragile.push(event.id);
  }

  @OnLiveKitEvent('track_published')
  async slow(event: WebhookEvent): Promise<void> {
    this.slowStarted.push(event.id);
    await sleep(this.slowMs);
    this.runs.slow.push(event.id);
  }
}

const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
const prefixes: string[] = [];
afterAll(async () => {
  await cleanKeys(redis, ...prefixes);
  await redis.quit();
});

async function queueApp(adapter: (typeof ADAPTERS)[number], options: LiveKitWebhookQueueModuleOptions = {}, logger?: CapturedNestLogger) {
  const { prefix } = runKeys('inproc');
  prefixes.push(prefix);
  const { app } = await createApp(
    adapter,
    [
      LiveKitModule.forRoot({ apiKey: KEY, apiSecret: SECRET }),
      LiveKitWebhookModule.forRoot(),
      LiveKitWebhookQueueModule.forRootAsync({
        useFactory: () => ({ url: SHARED_REDIS_URL, prefix, backoffDelayMs: 20, attempts: 2, ...options }),
      }),
      { module: class ListenerModule {}, providers: [QueueListener] },
    ],
    { rawBody: true, ...(logger ? { logger } : {}) },
  );
  return {
    app,
    prefix,
    listener: app.get(QueueListener),
    queue: app.get(LiveKitWebhookQueue),
    deadLetters: app.get(LiveKitWebhookDeadLetters),
  };
}

const post = (app: INestApplication, body: Buffer, authorization: string) =>
  request(app.getHttpServer())
    .post('/webhook')
    .set('Content-Type', 'application/webhook+json')
    .set('Authorization', authorization)
    .send(body.toString('utf8'));

describe.each(ADAPTERS)('durable webhook mode on %s', (adapter) => {
  let app: INestApplication;
  let listener: QueueListener;
  let queue: LiveKitWebhookQueue;

  beforeAll(async () => {
    await redis.connect().catch(() => undefined);
    ({ app, listener, queue } = await queueApp(adapter));
  });
  afterAll(() => app.close());

  it('answers 200 {status: queued} only once Redis holds the event, then runs every handler once', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    const res = await post(app, signed.body, signed.authorization);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'queued', id: signed.id });
    // Already in Redis when the answer arrives, with the exact bytes LiveKit signed.
    const job = await queue.queue.getJob(signed.id);
    expect(job?.data.body).toBe(signed.body.toString('utf8'));
    await waitFor(() => listener.runs.sturdy.includes(signed.id) && listener.runs.fragile.includes(signed.id), 5000, 'the handlers');
    expect(await queue.isRedisReady()).toBe(true);
  });

  it('treats redeliveries of an event as the same job: acknowledged, never run twice', async () => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    const answers = await Promise.all([1, 2, 3].map(() => post(app, signed.body, signed.authorization)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitFor(() => listener.runs.sturdy.includes(signed.id), 5000, 'the handler');
    expect((await post(app, signed.body, signed.authorization)).status).toBe(200);
    await sleep(300);
    expect(listener.runs.sturdy.filter((id) => id === signed.id)).toHaveLength(1);
  });

  it.each([
    ['with a colon', 'EV:with:colons'],
    ['that reads as an integer', '12345'],
    ['with a percent sign', 'EV_%3A'],
  ])('queues an event id %s under a safe job id', async (_, id) => {
    const unique = `${id}-${adapter}`;
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined', { id: /^\d+$/.test(id) ? `${Date.now()}` : unique }));
    const res = await post(app, signed.body, signed.authorization);
    expect(res.status).toBe(200);
    await waitFor(() => listener.runs.sturdy.includes(signed.id), 5000, 'the handler');
    expect(await queue.queue.getJob(toJobId(signed.id))).toBeDefined();
  });

  it('never queues an unverified webhook', async () => {
    const signed = await signWebhook(KEY, `${SECRET}x`, webhookBody('participant_joined'));
    expect((await post(app, signed.body, signed.authorization)).status).toBe(401);
    expect(await queue.queue.getJob(signed.id)).toBeUndefined();
  });
});

describe('durable webhook mode: retries and dead letters', () => {
  let app: INestApplication;
  let listener: QueueListener;
  let queue: LiveKitWebhookQueue;
  let deadLetters: LiveKitWebhookDeadLetters;
  let prefix: string;

  beforeAll(async () => {
    ({ app, listener, queue, deadLetters, prefix } = await queueApp('express'));
  });
  afterAll(() => app.close());

  const deadLetter = async (): Promise<string> => {
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    listener.failing.add(signed.id);
    expect((await post(app, signed.body, signed.authorization)).status).toBe(200);
    await waitFor(async () => (await deadLetters.get(signed.id)) !== undefined, 10_000, 'the dead letter');
    return signed.id;
  };

  it('retries a failing handler, then keeps the event as a dead letter that only a replay runs again', async () => {
    const id = await deadLetter();
    const letter = await deadLetters.get(id);
    expect(letter).toMatchObject({
      eventId: id,
      event: 'participant_joined',
      attemptsMade: 2,
      failedReason: expect.stringContaining('QueueListener.fragile: database unavailable'),
      handlersDone: ['QueueListener.sturdy'],
    });
    expect(JSON.parse(letter?.body ?? '{}')).toMatchObject({ id, event: 'participant_joined' });
    expect((await deadLetters.list()).map((l) => l.eventId)).toContain(id);
    expect(await queue.deadLetterCount()).toBeGreaterThanOrEqual(1);
    // The handler that succeeded ran once, not on every attempt.
    expect(listener.runs.sturdy.filter((e) => e === id)).toHaveLength(1);

    // LiveKit's redelivery of a dead letter is acknowledged and does not run it.
    const redelivered = await signWebhook(KEY, SECRET, Buffer.from(letter?.body ?? ''));
    expect((await post(app, redelivered.body, redelivered.authorization)).status).toBe(200);
    await sleep(300);
    expect(await deadLetters.get(id)).toBeDefined();

    // Fixed: a replay runs only the handler that had failed.
    listener.failing.delete(id);
    await deadLetters.replay(id);
    await waitFor(() => listener.runs.fragile.includes(id), 5000, 'the replay');
    expect(listener.runs.sturdy.filter((e) => e === id)).toHaveLength(1);
    await waitFor(async () => (await queue.queue.getJobState(id)) === 'completed', 5000, 'the job to complete');
    expect(await deadLetters.get(id)).toBeUndefined();
    await expect(deadLetters.replay(id)).rejects.toThrow(LiveKitWebhookDeadLetterNotFoundError);
    await expect(deadLetters.replay('EV_unknown')).rejects.toThrow(/state: unknown/);
  });

  it('replays every dead letter at once, and discards one for good', async () => {
    const ids = [await deadLetter(), await deadLetter(), await deadLetter()];
    for (const id of ids.slice(0, 2)) listener.failing.delete(id);
    await deadLetters.discard(ids[2] as string);
    expect(await deadLetters.get(ids[2] as string)).toBeUndefined();
    expect(await deadLetters.replayAll()).toBe(2);
    await waitFor(() => ids.slice(0, 2).every((id) => listener.runs.fragile.includes(id)), 5000, 'the replays');
    expect(await queue.deadLetterCount()).toBe(0);
  });

  it('lets operators list, show, replay and discard dead letters from the command line', async () => {
    const [first, second] = [await deadLetter(), await deadLetter()] as [string, string];
    const lines: string[] = [];
    const errors: string[] = [];
    const run = (...argv: string[]) =>
      runDeadLettersCommand(
        argv,
        deadLetters,
        (line) => lines.push(line),
        (line) => errors.push(line),
      );

    expect(await run('list')).toBe(0);
    const listed = lines.map((line) => JSON.parse(line) as { eventId: string; body?: string });
    expect(listed.map((l) => l.eventId)).toEqual([first, second]);
    expect(listed[0]?.body).toBeUndefined();
    expect(await run('show', first)).toBe(0);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ eventId: first, body: expect.stringContaining(first) });
    expect(await run('show', 'EV_nope')).toBe(1);
    expect(await run('replay', 'EV_nope')).toBe(1);
    expect(errors.at(-1)).toMatch(/EV_nope is not a dead letter/);
    expect(await run('frobnicate')).toBe(2);
    expect(errors.at(-1)).toContain('usage: dead-letters');

    // The standalone entry point, with the server's environment.
    const cli = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'server', 'dead-letters.cli.ts'), 'count'],
      {
        env: { PATH: process.env.PATH ?? '', WEBHOOK_MODE: 'queue', REDIS_URL: SHARED_REDIS_URL, WEBHOOK_QUEUE_PREFIX: prefix },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect({ status: cli.status, stdout: cli.stdout.trim() }).toEqual({ status: 0, stdout: '2' });

    listener.failing.delete(first);
    expect(await run('replay', first)).toBe(0);
    expect(await run('discard', second)).toBe(0);
    await waitFor(() => listener.runs.fragile.includes(first), 5000, 'the replay');
    expect(await run('count')).toBe(0);
    expect(lines.at(-1)).toBe('0');
  });
});

describe('durable webhook mode: shutdown, outages, metrics', () => {
  it('finishes a running handler before the app closes, leaving no event behind', async () => {
    const { app, listener, queue } = await queueApp('express', { shutdownTimeoutMs: 5000 });
    listener.slowMs = 800;
    const signed = await signWebhook(KEY, SECRET, webhookBody('track_published'));
    expect((await post(app, signed.body, signed.authorization)).status).toBe(200);
    await waitFor(() => listener.slowStarted.includes(signed.id), 5000, 'the handler to start');
    const bullQueue = queue.queue;
    const probe = new Redis(SHARED_REDIS_URL);
    await app.close();
    expect(listener.runs.slow).toEqual([signed.id]);
    const state = await new Promise<string>((resolve, reject) => {
      // The queue of the closed app is gone; read the job state with a fresh connection.
      probe
        .hget(`${bullQueue.opts.prefix}:${bullQueue.name}:${signed.id}`, 'finishedOn')
        .then((finishedOn) => resolve(finishedOn ? 'finished' : 'not finished'), reject);
    });
    await probe.quit();
    expect(state).toBe('finished');
  });

  it('answers 503 within the enqueue timeout when Redis is unreachable, without crashing, and closes promptly', async () => {
    const port = await freeTcpPort(); // nothing listens there
    // disconnectTimeout: ioredis otherwise keeps a 2 s timer for the socket that never connected, past Jest's exit.
    const logger = new CapturedNestLogger();
    const { app, queue } = await queueApp(
      'express',
      { url: `redis://127.0.0.1:${port}`, enqueueTimeoutMs: 300, redisOptions: { disconnectTimeout: 100 } },
      logger,
    );
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    const started = Date.now();
    const res = await post(app, signed.body, signed.authorization);
    expect(res.status).toBe(503);
    // The body is generic; why Redis did not take it is the server log's, one line for this webhook.
    expect(res.body).toEqual({ errorMessage: 'webhook queue unavailable; LiveKit will retry' });
    expect(logger.at('error').filter((line) => line.includes(signed.id))).toEqual([
      expect.stringMatching(
        new RegExp(`^webhook participant_joined ${signed.id} answered 503, LiveKit will retry: the queue did not take it \\(.+\\)$`),
      ),
    ]);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await queue.isRedisReady()).toBe(false);
    await expect(queue.queueDepth()).rejects.toThrow(LiveKitWebhookQueueUnavailableException);
    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(5000);
  });

  it("never puts the Redis client's error (host, port, ECONNREFUSED) in the 503 body; the server log has it", async () => {
    const port = await freeTcpPort(); // nothing listens there
    const logger = new CapturedNestLogger();
    // No reconnection: the client gives up at once, and the queue fails with the connection's own error.
    const { app } = await queueApp(
      'fastify',
      { url: `redis://127.0.0.1:${port}`, enqueueTimeoutMs: 5000, redisOptions: { retryStrategy: () => null, disconnectTimeout: 100 } },
      logger,
    );
    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    const res = await post(app, signed.body, signed.authorization);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ errorMessage: 'webhook queue unavailable; LiveKit will retry' });
    for (const leak of [`127.0.0.1:${port}`, String(port), 'ECONNREFUSED']) expect(JSON.stringify(res.body)).not.toContain(leak);
    expect(logger.at('error').filter((line) => line.includes(signed.id))).toEqual([
      expect.stringContaining(`the queue did not take it (connect ECONNREFUSED 127.0.0.1:${port})`),
    ]);
    await app.close();
  });

  it('counts the queue depth for metrics; instances with workers: false only receive', async () => {
    const { app, queue, listener } = await queueApp('fastify', { workers: false });
    for (let i = 0; i < 3; i++) {
      const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
      expect((await post(app, signed.body, signed.authorization)).status).toBe(200);
    }
    expect(await queue.queueDepth()).toBe(3);
    expect(await queue.deadLetterCount()).toBe(0);
    await sleep(200);
    expect(listener.runs.sturdy).toEqual([]);
    await app.close();
  });
});

describe('standalone server with WEBHOOK_MODE=queue', () => {
  it('reads REDIS_URL and the queue settings from the environment and queues webhooks', async () => {
    const { prefix } = runKeys('standalone');
    prefixes.push(prefix);
    const { app, close } = await startStandalone('express', {
      WEBHOOK_MODE: 'queue',
      REDIS_URL: SHARED_REDIS_URL,
      WEBHOOK_QUEUE_PREFIX: prefix,
    });
    try {
      const signed = await signWebhook(TEST_API_KEY, TEST_API_SECRET, webhookBody('room_started'));
      const res = await request(app.getHttpServer())
        .post('/livekit/webhook')
        .set('Content-Type', 'application/webhook+json')
        .set('Authorization', signed.authorization)
        .send(signed.body.toString('utf8'));
      expect(res.body).toEqual({ status: 'queued', id: signed.id });
      const queue = app.get(LiveKitWebhookQueue);
      await waitFor(async () => (await queue.queue.getJobState(signed.id)) === 'completed', 5000, 'the event log handler');
    } finally {
      await close();
    }
  });

  it('stays inline, without touching Redis, by default', async () => {
    const { app, close } = await startStandalone('express', { WEBHOOK_MODE: undefined, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const queue = app.get(LiveKitWebhookQueue);
      expect(queue.enabled).toBe(false);
      expect(await queue.isRedisReady()).toBe(false);
      const signed = await signWebhook(TEST_API_KEY, TEST_API_SECRET, webhookBody('room_started'));
      const res = await request(app.getHttpServer())
        .post('/livekit/webhook')
        .set('Content-Type', 'application/webhook+json')
        .set('Authorization', signed.authorization)
        .send(signed.body.toString('utf8'));
      expect(res.body).toEqual({ status: 'processed', id: signed.id });
    } finally {
      await close();
    }
  });
});
