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

/**
 * Redis SIGKILLed and restarted (appendonly, appendfsync always) several times while an instance with the
 * default lock settings takes and completes events. Redis may die after it ran (and persisted) a
 * worker's command but before the reply left: the command that took an event (the event is then active,
 * locked by this worker, which never got it) or the one that completed it (ioredis sends it again once
 * reconnected, and the second run finds no lock). Neither may leave an event waiting for long, be logged as
 * the work of an instance that stopped (none did), show up as a lock error, or hold up the shutdown.
 */
jest.setTimeout(180_000);

/** Kills until one landed between a worker command's run and its reply (it shows in the log), at most this many. */
const MAX_CYCLES = 15;
/** The defaults' takeover bound (lockDurationMs 5 s + stalledIntervalMs 1 s), plus slack for a loaded machine. */
const RECOVERY_BOUND_MS = 6000 + 6000;

describe('durable webhook mode across Redis restarts, default lock settings', () => {
  const keys = runKeys('reconnect');
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
      ENQUEUE_TIMEOUT_MS: '1000',
      HANDLER_DELAY_MS: '10',
    });
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await redis?.destroy();
    await cleanKeys(recorder, keys.recordKey);
    await recorder.quit();
  });

  it('handles every acknowledged event soon after Redis is back, without lock errors, and stops at once', async () => {
    const instance = app as QueueAppProcess;
    const acked: string[] = [];
    let ackedSinceRestart = 0;
    let posting = true;
    // At most about 6 / 10 ms = 600 webhooks/s, under what the worker runs (10 at a time, 10 ms each): no backlog to wait for.
    const lanes = Array.from({ length: 6 }, async () => {
      while (posting) {
        const event = await signedEvent(`EV_${randomUUID()}`);
        const answer = await postWebhook(instance.port, event, 5000);
        if (answer.status === 200) {
          acked.push(event.id);
          ackedSinceRestart++;
        }
        await new Promise((resolve) => setTimeout(resolve, answer.status === 200 ? 10 : 20));
      }
    });

    const lostReplies = (): number =>
      instance
        .output()
        .split('\n')
        .filter((line) => line.includes('put back in the queue') || line.includes('already recorded')).length;
    let backAt = 0;
    let cycles = 0;
    const outages: number[] = [];
    try {
      while (cycles < MAX_CYCLES && lostReplies() === 0) {
        cycles++;
        await waitFor(() => ackedSinceRestart >= 100, 30_000, 'webhooks acknowledged before the kill');
        const killedAt = Date.now();
        await redis.kill();
        await redis.restart();
        outages.push(Date.now() - killedAt);
        backAt = Date.now();
        ackedSinceRestart = 0;
        await waitFor(() => ackedSinceRestart >= 20, 30_000, 'webhooks acknowledged after Redis came back');
        // A lost reply of a command that took an event shows once the lock expired; give the log that long.
        await waitFor(() => lostReplies() > 0, cycles % 3 === 0 ? RECOVERY_BOUND_MS : 500, 'a lost reply').catch(() => undefined);
      }
    } finally {
      posting = false;
      await Promise.all(lanes);
    }

    let pending: string[] = acked;
    await waitFor(
      async () => {
        const { handled } = await recorded(recorder, keys.recordKey);
        pending = acked.filter((id) => !handled.has(id));
        return pending.length === 0;
      },
      RECOVERY_BOUND_MS,
      'every acknowledged event to be handled',
    ).catch((error: Error) => {
      const log = instance
        .output()
        .split('\n')
        .filter((line) => !line.includes('answered 503'))
        .join('\n');
      throw new Error(`${error.message} (${pending.length} of ${acked.length} still waiting)\n${log.slice(-6000)}`);
    });
    const allHandledMs = Date.now() - backAt;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { handled } = await recorded(recorder, keys.recordKey);
    const twice = acked.filter((id) => (handled.get(id) ?? 0) > 1);

    const output = instance.output();
    const recoveredLines = output.split('\n').filter((line) => line.includes('put back in the queue'));
    const repeatedWrites = output.split('\n').filter((line) => line.includes('already recorded'));
    console.log(
      `[reconnect] ${cycles} Redis SIGKILLs under load: ${acked.length} events acknowledged, all handled within ` +
        `${allHandledMs} ms of the last restart, ${twice.length} twice; ${recoveredLines.length} event(s) recovered ` +
        `from a lost reply, ${repeatedWrites.length} repeated completion write(s) explained; Redis down ${outages.join(', ')} ms`,
    );
    if (twice.length > 0) {
      const log = output.split('\n').filter((line) => twice.some((id) => line.includes(id)) || line.includes('lock'));
      throw new Error(`handled twice: ${twice.join(', ')}; Redis down for ${outages.join(', ')} ms\n${log.join('\n')}`);
    }
    // The test is about those kills: it must have seen at least one.
    expect(recoveredLines.length + repeatedWrites.length).toBeGreaterThan(0);
    // Every repeated completion is recognised from the state in Redis, none reported as a lost lock.
    expect(output).not.toContain('Missing lock');
    expect(output).not.toContain("was no longer this instance's");
    expect(output).not.toContain('from an instance that stopped');
    // No instance stopped: each event put back in the queue is said to be one this instance was handed as its connection broke.
    expect(recoveredLines.filter((line) => !line.includes("this instance's own connection to Redis broke"))).toEqual([]);

    // Nothing is being processed: SIGTERM stops at once, without waiting for phantom events.
    const stopping = Date.now();
    await instance.stop('SIGTERM');
    const stopMs = Date.now() - stopping;
    console.log(`[reconnect] SIGTERM after the restarts: exited in ${stopMs} ms`);
    expect(instance.output()).not.toContain('still being processed');
    expect(stopMs).toBeLessThan(5000);
  });
});
