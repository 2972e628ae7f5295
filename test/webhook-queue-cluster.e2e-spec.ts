import { Redis } from 'ioredis';
import {
  DEFAULT_WEBHOOK_QUEUE_LOCK_DURATION_MS,
  DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS,
} from '../src/queue/livekit-webhook-queue.constants';
import {
  cleanKeys,
  forEachLimited,
  postWebhook,
  type QueueAppProcess,
  recorded,
  runKeys,
  SHARED_REDIS_URL,
  signedEvent,
  startQueueApp,
  waitFor,
} from './support/queue-cluster';
import type { SignedWebhook } from './support/webhook-signer';

/**
 * Durable webhook mode across instances: separate Nest processes (one on Express, one on Fastify)
 * sharing one Redis, as a horizontally scaled deployment runs it.
 */
jest.setTimeout(180_000);

const BURST = 10_000;
/** A dead instance's events move within the lock plus one stalled check; the slack is for a loaded machine. */
const TAKEOVER_BOUND_MS = DEFAULT_WEBHOOK_QUEUE_LOCK_DURATION_MS + DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS;
const TAKEOVER_SLACK_MS = 3000;

describe('durable webhook mode across instances (child processes, shared Redis)', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const apps: QueueAppProcess[] = [];

  const start = async (names: string[], env: Record<string, string>): Promise<QueueAppProcess[]> => {
    const started = await Promise.all(names.map((name, i) => startQueueApp(name, { HTTP_ADAPTER: i % 2 ? 'fastify' : 'express', ...env })));
    apps.push(...started);
    return started;
  };
  const explain = (): string => apps.map((app) => `--- ${app.name}\n${app.output().slice(-4000)}`).join('\n');

  beforeAll(async () => {
    redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 2 });
    await redis.ping();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await cleanKeys(redis, ...prefixes);
    await redis.quit();
  });

  describe('two instances', () => {
    const keys = runKeys('pair');
    let a: QueueAppProcess;
    let b: QueueAppProcess;

    beforeAll(async () => {
      prefixes.push(keys.prefix, keys.recordKey);
      [a, b] = (await start(['a', 'b'], { QUEUE_PREFIX: keys.prefix, RECORD_KEY: keys.recordKey, CONCURRENCY: '32' })) as [
        QueueAppProcess,
        QueueAppProcess,
      ];
    });

    afterAll(async () => {
      // Graceful stop: on SIGTERM, Nest closes the app and then ends the process with the same signal.
      await Promise.all([a?.stop(), b?.stop()]);
      expect([a, b].map((app) => app.child.exitCode ?? app.child.signalCode)).toEqual(['SIGTERM', 'SIGTERM']);
    });

    it('runs the handlers once for the same signed event posted to both instances, and to each twice', async () => {
      const signed = await signedEvent();
      const answers = await Promise.all([a, b, a, b].map((app) => postWebhook(app.port, signed)));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);

      await waitFor(async () => (await recorded(redis, keys.recordKey)).handled.has(signed.id), 10_000, 'the event to be handled');
      // A late duplicate, after the event was processed, is still recognised.
      expect((await postWebhook(b.port, signed)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await recorded(redis, keys.recordKey)).handled.get(signed.id)).toBe(1);
    });

    it(`handles a burst of ${BURST} distinct events spread over both instances exactly once`, async () => {
      const signingStarted = Date.now();
      const events: SignedWebhook[] = [];
      for (let i = 0; i < BURST; i++) events.push(await signedEvent(`EV_burst_${i}_${keys.prefix}`));
      const signingMs = Date.now() - signingStarted;

      const statuses = new Map<number, number>();
      const started = Date.now();
      await forEachLimited(events, 64, async (signed, i) => {
        const { status } = await postWebhook((i % 2 ? b : a).port, signed, 30_000);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
      const ackedMs = Date.now() - started;
      expect(Object.fromEntries(statuses)).toEqual({ 200: BURST });

      await waitFor(async () => (await redis.hlen(`${keys.recordKey}:handled`)) >= BURST, 120_000, `all ${BURST} events handled`).catch(
        (error: Error) => {
          throw new Error(`${error.message}\n${explain()}`);
        },
      );
      const handledMs = Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 1000)); // anything run twice would show up now

      const { handled, by } = await recorded(redis, keys.recordKey);
      const burstIds = events.map((e) => e.id);
      const missing = burstIds.filter((id) => !handled.has(id));
      const twice = burstIds.filter((id) => (handled.get(id) ?? 0) > 1);
      expect({ missing: missing.length, twice: twice.length }).toEqual({ missing: 0, twice: 0 });
      const perInstance = { a: 0, b: 0 };
      for (const id of burstIds) perInstance[by.get(id) as 'a' | 'b'] += 1;

      console.log(
        `[burst] ${BURST} signed events (signing ${signingMs} ms) posted over 2 instances with 64 in flight: ` +
          `all acknowledged in ${ackedMs} ms (${Math.round(BURST / (ackedMs / 1000))} events/s), ` +
          `all handled exactly once in ${handledMs} ms (${Math.round(BURST / (handledMs / 1000))} events/s end to end); ` +
          `handled by a: ${perInstance.a}, by b: ${perInstance.b}`,
      );
      // Every instance's worker took part.
      expect(perInstance.a).toBeGreaterThan(0);
      expect(perInstance.b).toBeGreaterThan(0);
    });
  });

  describe('an instance killed (SIGKILL) while its handler runs, default lock settings', () => {
    const keys = runKeys('kill');
    const claimKey = `${keys.recordKey}:claim`;

    beforeAll(async () => {
      prefixes.push(keys.prefix, keys.recordKey);
      await start(['c', 'd'], {
        QUEUE_PREFIX: keys.prefix,
        RECORD_KEY: keys.recordKey,
        BLOCK_CLAIM_KEY: claimKey,
      });
    });

    it(`has the event handled by the other instance within the takeover bound (${TAKEOVER_BOUND_MS} ms)`, async () => {
      const [c, d] = apps.slice(-2) as [QueueAppProcess, QueueAppProcess];
      const signed = await signedEvent();
      expect((await postWebhook(c.port, signed)).status).toBe(200);

      // Whichever instance took the event claims the key, then blocks in its handler.
      await waitFor(async () => (await redis.get(claimKey)) !== null, 10_000, 'a handler to start');
      const holder = (await redis.get(claimKey)) === 'c' ? c : d;
      const survivor = holder === c ? d : c;
      holder.child.kill('SIGKILL');
      await holder.exited;
      const killedAt = Date.now();

      await waitFor(
        async () => (await recorded(redis, keys.recordKey)).handled.has(signed.id),
        TAKEOVER_BOUND_MS + TAKEOVER_SLACK_MS,
        'the survivor to handle it',
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${explain()}`);
      });
      const tookOverMs = Date.now() - killedAt;
      const { handled, by } = await recorded(redis, keys.recordKey);
      expect(handled.get(signed.id)).toBe(1);
      expect(by.get(signed.id)).toBe(survivor.name);
      // The log names the instance that held it, and does not claim that it surely died.
      expect(survivor.output()).toContain('put back in the queue after its lock expired: the instance that held it stopped');
      expect(survivor.output()).not.toContain("this instance's own connection to Redis broke");
      console.log(
        `[sigkill] ${holder.name} killed mid-handler; ${survivor.name} handled the event ${tookOverMs} ms later ` +
          `(defaults: lock ${DEFAULT_WEBHOOK_QUEUE_LOCK_DURATION_MS} ms + stalled check every ${DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS} ms)`,
      );
      expect(tookOverMs).toBeLessThan(TAKEOVER_BOUND_MS + TAKEOVER_SLACK_MS);
    });
  });
});
