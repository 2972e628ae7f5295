import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { toJobId } from '../src/queue/webhook-job';
import { type Delivery, deliverLikeLiveKit, duplicates, Fleet, fleetEvent, fleetQueue, statusCounts } from './support/fleet';
import { freeTcpPort } from './support/free-port';
import { type Haproxy, startHaproxy } from './support/haproxy';
import { PrivateRedis, waitFor } from './support/queue-cluster';

/**
 * A rolling restart behind HAProxy: three standalone instances in durable mode on one Redis, restarted one
 * after the other (SIGTERM, wait for the exit, start, wait until the balancer routes to it again) while
 * LiveKit-like senders (retries after 1, 2, 4, 8 s) keep posting new events through the balancer.
 */
jest.setTimeout(240_000);

const NAMES = ['a', 'b', 'c'];
const LANES = 8;

describe('instances behind HAProxy: rolling restart under load', () => {
  let redis: PrivateRedis;
  let fleet: Fleet | undefined;
  let balancer: Haproxy | undefined;
  let queue: Queue;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    queue = fleetQueue(redis.url);
    const ports = await Promise.all(NAMES.map(() => freeTcpPort()));
    balancer = await startHaproxy(NAMES.map((name, i) => ({ name, port: ports[i] as number })));
    fleet = await Fleet.start(NAMES, ports, { REDIS_URL: redis.url });
    for (const name of NAMES) await balancer.waitForStatus(name, 'UP', 20_000);
  }, 180_000);

  afterAll(async () => {
    await fleet?.stopAll();
    await balancer?.stop();
    await queue?.close();
    await redis?.destroy();
  }, 60_000);

  it('answers no 5xx that the retries do not absorb, loses nothing and runs nothing twice', async () => {
    const instances = fleet as Fleet;
    const lb = balancer as Haproxy;
    const deliveries: Delivery[] = [];
    let posting = true;
    const lanes = Array.from({ length: LANES }, async () => {
      while (posting) {
        deliveries.push(await deliverLikeLiveKit(lb.url, await fleetEvent(`EV_roll_${randomUUID()}`)));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });

    const started = Date.now();
    const steps: string[] = [];
    try {
      await waitFor(() => deliveries.length >= 100, 60_000, 'load before the restarts');
      for (const name of NAMES) {
        const before = Date.now();
        await instances.stop(name);
        const stoppedMs = Date.now() - before;
        const exit = instances.current(name).child.signalCode ?? instances.current(name).child.exitCode;
        expect({ name, exit }).toEqual({ name, exit: 'SIGTERM' });
        await instances.restart(name);
        const upMs = await lb.waitForStatus(name, 'UP', 30_000);
        steps.push(`${name}: stopped in ${stoppedMs} ms, ready and routed again ${Date.now() - before} ms after SIGTERM (UP +${upMs} ms)`);
        const count = deliveries.length;
        await waitFor(() => deliveries.length >= count + 50, 60_000, `load after restarting ${name}`);
      }
    } finally {
      posting = false;
      await Promise.all(lanes);
    }
    const loadMs = Date.now() - started;

    // Every event the senders posted was acknowledged, at the latest after LiveKit's retries.
    const givenUp = deliveries.filter((d) => !d.acked).map((d) => d.id);
    expect(givenUp).toEqual([]);
    const acked = deliveries.map((d) => d.id);
    await waitFor(
      async () => {
        const states = await Promise.all(acked.map((id) => queue.getJobState(toJobId(id))));
        return states.every((state) => state === 'completed');
      },
      30_000,
      'every acknowledged event to be completed',
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${instances.explain()}`);
    });
    // Every instance stopped gracefully: each event has exactly one line, over every process that ran.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const lines = instances.eventLines();
    const logged = new Set(lines.map((line) => line.id));
    expect(acked.filter((id) => !logged.has(id))).toEqual([]);
    const twice = duplicates(lines);
    expect(twice).toEqual([]);

    const counts = statusCounts(deliveries);
    const fiveHundreds = Object.entries(counts)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, n]) => sum + n, 0);
    const retried = deliveries.filter((d) => d.attempts.length > 1).length;
    process.stdout.write(
      `[fleet-rolling] ${NAMES.length} instances restarted one by one under ${LANES} LiveKit-like senders through HAProxy ` +
        `(${loadMs} ms): ${deliveries.length} events, all acknowledged, lost 0, twice ${twice.length}; statuses over all attempts ` +
        `${JSON.stringify(counts)} (${fiveHundreds} 5xx, ${retried} event(s) needed a retry); ${steps.join('; ')}\n`,
    );
    // The senders' retries absorb whatever the balancer could not retry itself: none gave up (above).
    expect(instances.instances.every((i) => i.processes.length === 2)).toBe(true);
  });
});
