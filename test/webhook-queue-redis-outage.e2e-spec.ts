import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  cleanKeys,
  postWebhook,
  PrivateRedis,
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
 * Redis stopped mid-run: the queue lives on a private redis-server that persists every write before
 * answering (appendonly + appendfsync always, the documented production setting). The instance must
 * answer 503 quickly while Redis is down, not crash, recover when it returns, and lose no event it
 * acknowledged. Handlers record into the shared Redis, which stays up.
 */
jest.setTimeout(120_000);

const ENQUEUE_TIMEOUT_MS = 1000;

describe('durable webhook mode when Redis goes down and comes back', () => {
  const keys = runKeys('outage');
  let recorder: Redis;
  let redis: PrivateRedis;
  let app: QueueAppProcess | undefined;

  beforeAll(async () => {
    recorder = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 2 });
    redis = await PrivateRedis.start();
    app = await startQueueApp('solo', {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: keys.prefix,
      RECORD_KEY: keys.recordKey,
      ENQUEUE_TIMEOUT_MS: String(ENQUEUE_TIMEOUT_MS),
      // An event that Redis handed to the worker just as it died (the reply was lost) is recovered once its
      // lock expires; a lock longer than the outage keeps the events in the worker's hands its own.
      LOCK_DURATION_MS: '10000',
      STALLED_INTERVAL_MS: '1000',
    });
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await redis?.destroy();
    await cleanKeys(recorder, keys.recordKey);
    await recorder.quit();
  });

  it('answers 503 quickly while Redis is down, recovers, and loses no acknowledged event', async () => {
    const instance = app as QueueAppProcess;
    const answers = new Map<string, { status: number; ms: number; body: string; phase: string; end: number }>();
    const signed = new Map<string, SignedWebhook>();
    let phase = 'up';
    let posting = true;

    // LiveKit-like senders: 4 lanes posting new events until told to stop (bounded by the test's phases).
    const lanes = Array.from({ length: 4 }, async () => {
      while (posting) {
        const event = await signedEvent(`EV_${randomUUID()}`);
        const at = phase;
        const answer = await postWebhook(instance.port, event, 5000);
        signed.set(event.id, event);
        answers.set(event.id, { ...answer, phase: at, end: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });

    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(1500);
    const killedAt = Date.now();
    await redis.kill(); // mid-run: requests are in flight
    phase = 'down';
    await sleep(3000);
    expect(instance.alive()).toBe(true);
    phase = 'restarting';
    await redis.restart();
    phase = 'back';
    await waitFor(
      () => [...answers.values()].some((a) => a.phase === 'back' && a.status === 200),
      20_000,
      'a webhook acknowledged after Redis came back',
    );
    await sleep(1000);
    posting = false;
    await Promise.all(lanes);

    const all = [...answers.entries()];
    const down = all.filter(([, a]) => a.phase === 'down');
    const acked = all.filter(([, a]) => a.status === 200).map(([id]) => id);
    const refused = all.filter(([, a]) => a.status !== 200).map(([id]) => id);
    const byPhase = (p: string) => all.filter(([, a]) => a.phase === p).map(([, a]) => a.status);
    const count = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

    // While down: 503 (never a 200, never a hang), within the enqueue timeout plus a margin.
    expect(down.length).toBeGreaterThan(0);
    expect(new Set(down.map(([, a]) => a.status))).toEqual(new Set([503]));
    const slowest503 = Math.max(...down.map(([, a]) => a.ms));
    expect(slowest503).toBeLessThan(ENQUEUE_TIMEOUT_MS + 1000);
    // Before the kill everything was accepted; what was in flight at the kill got either answer.
    expect(all.filter(([, a]) => a.end < killedAt).every(([, a]) => a.status === 200)).toBe(true);
    expect(new Set([...byPhase('up'), 200, 503])).toEqual(new Set([200, 503]));
    expect(instance.alive()).toBe(true);

    // Every event acknowledged before the kill, during it, or after the restart is handled.
    await waitFor(
      async () => {
        const { handled } = await recorded(recorder, keys.recordKey);
        return acked.every((id) => handled.has(id));
      },
      30_000,
      'every acknowledged event to be handled',
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${instance.output().slice(-5000)}`);
    });

    // LiveKit retries what was refused: now accepted and handled too.
    for (const id of refused) expect((await postWebhook(instance.port, signed.get(id) as SignedWebhook)).status).toBe(200);
    await waitFor(
      async () => {
        const { handled } = await recorded(recorder, keys.recordKey);
        return refused.every((id) => handled.has(id));
      },
      30_000,
      'every retried event to be handled',
    );
    await sleep(500);
    const { handled } = await recorded(recorder, keys.recordKey);
    const twice = [...handled.values()].filter((n) => n > 1).length;
    expect(twice).toBe(0);

    console.log(
      `[outage] up: ${JSON.stringify(count(byPhase('up')))}, down (3 s): ${JSON.stringify(count(byPhase('down')))} ` +
        `(slowest 503 ${slowest503} ms), restarting: ${JSON.stringify(count(byPhase('restarting')))}, back: ${JSON.stringify(count(byPhase('back')))}; ` +
        `${acked.length} acknowledged, all handled once; ${refused.length} refused, handled once after LiveKit's retry`,
    );
    expect(instance.output()).toContain('Redis unreachable');
    expect(instance.output()).toContain('Redis reachable again');

    // The 503 bodies are generic: Redis' address and the client's error are the server log's, a line per webhook.
    const answered503 = all.filter(([, a]) => a.status === 503);
    const bodies = new Set(answered503.map(([, a]) => a.body));
    expect(bodies).toEqual(new Set(['{"errorMessage":"webhook queue unavailable; LiveKit will retry"}']));
    const refusedLines = instance
      .output()
      .split('\n')
      .filter((line) => /answered 503, LiveKit will retry: the queue did not take it \(.+\)/.test(line));
    for (const [id] of answered503) expect(refusedLines.filter((line) => line.includes(id))).toHaveLength(1);
  });
});
