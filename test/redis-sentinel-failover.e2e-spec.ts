import {
  acknowledged,
  type Delivery,
  getText,
  handledIds,
  sampleEndpoint,
  sendLikeLiveKit,
  signedEvents,
  waitForHandled,
  waitUntilDrained,
} from './support/failover-burst';
import { LOOPBACK } from './support/free-port';
import { sampleValue } from './support/prometheus-text';
import { info, SENTINEL_MASTER, SentinelSet } from './support/redis-topology';
import { type ServerProcess, spawnStandalone, waitFor, waitUntilListening } from './support/spawn-server';
import { TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';

/**
 * Durable mode on Redis Sentinel, through the standalone server's settings (REDIS_SENTINELS, REDIS_SENTINEL_MASTER,
 * REDIS_SENTINEL_PASSWORD, REDIS_PASSWORD): a primary, a replica and three sentinels, all started here on loopback.
 * A burst of distinct signed events goes to an instance that only receives (WEBHOOK_QUEUE_WORKERS=false), sent as
 * LiveKit does (retries after 1, 2, 4, 8 s); mid-burst the primary is SIGKILLed and the sentinels promote the replica.
 *
 * Replication lag on loopback is microseconds, so a plain kill would lose nothing whatever the setting. To make the
 * promise observable, replication is held back for HOLD_MS just before the kill: the replica is stopped (SIGSTOP)
 * and the primary drops its link (CLIENT KILL TYPE replica), so the writes of that window exist on the primary only.
 * That is what a lagging or partitioned replica does; the replica is resumed (SIGCONT) right after the kill. Once the
 * replica is promoted the killed node is restarted and rejoins as its replica, as an operator would do.
 *
 * The handlers run in a second instance started once the replica is promoted, so that every handler run happens on
 * the new primary: each acknowledged event must run exactly once there (counted by id in its event log), and so must
 * every event first refused with 503 (or no answer) and acknowledged on a retry. With `replication` off the suite
 * reports how many acknowledged events were lost; with it on (WEBHOOK_QUEUE_MIN_REPLICAS=1) none may be.
 */
jest.setTimeout(200_000);

const BURST = 240;
const LANES = 8;
const HOLD_MS = 400;
const PASSWORD = 'data-secret-0123';
const SENTINEL_PASSWORD = 'sentinel-secret-4567';

const figures: Record<string, unknown>[] = [];

afterAll(() => {
  // The closing note's figures: `nice -n 10 npx jest test/redis-sentinel-failover.e2e-spec.ts`.
  console.log(`Sentinel failover figures:\n${figures.map((f) => JSON.stringify(f)).join('\n')}`);
});

describe.each([
  ['off', {}],
  ['on', { WEBHOOK_QUEUE_MIN_REPLICAS: '1', WEBHOOK_QUEUE_REPLICATION_TIMEOUT_MS: '500' }],
] as const)('Sentinel failover mid-burst, replication %s', (replication, replicationEnv) => {
  let set: SentinelSet | undefined;
  const servers: ServerProcess[] = [];

  const env = (workers: boolean): Record<string, string> => ({
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
    WEBHOOK_MODE: 'queue',
    REDIS_SENTINELS: (set as SentinelSet).addresses,
    REDIS_SENTINEL_MASTER: SENTINEL_MASTER,
    REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
    REDIS_PASSWORD: PASSWORD,
    WEBHOOK_QUEUE_PREFIX: `lk-sentinel-${replication}`,
    WEBHOOK_QUEUE_WORKERS: String(workers),
    WEBHOOK_QUEUE_ENQUEUE_TIMEOUT_MS: '1000',
    TOKEN_RATE_LIMIT: '3',
    TOKEN_RATE_TTL: '1m',
    ...replicationEnv,
  });

  const start = async (workers: boolean): Promise<ServerProcess> => {
    const server = await spawnStandalone(env(workers));
    servers.push(server);
    await waitUntilListening(server, 60_000);
    await waitFor(async () => (await getText(server.port, '/health/ready')).status === 200, 30_000, 'the instance ready');
    return server;
  };

  beforeAll(async () => {
    set = await SentinelSet.start({ password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD });
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await set?.destroy();
  });

  it('handles every acknowledged event once after the replica is promoted, and every refused one once after its retries', async () => {
    const sentinels = set as SentinelSet;
    const intake = await start(false);
    const events = await signedEvents(BURST);
    const readiness = sampleEndpoint(intake.port, '/health/ready', 100);

    const startedAt = Date.now();
    // Paced (at most LANES events per 100 ms), so that the burst still runs through the election on a fast machine.
    const { deliveries, done } = sendLikeLiveKit(intake.port, events, LANES, 100);
    await waitFor(() => acknowledged(deliveries).length >= BURST / 3, 60_000, 'a third of the burst acknowledged');
    const beforeHold = new Set(acknowledged(deliveries));
    const eventsPerSecond = Math.round((beforeHold.size * 1000) / (Date.now() - startedAt));

    // Replication held back, then the primary killed.
    await sentinels.replica.signal('SIGSTOP');
    await sentinels.primary.command('CLIENT', 'KILL', 'TYPE', 'replica');
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    await sentinels.primary.signal('SIGKILL');
    const killedAt = Date.now();
    const duringHold = acknowledged(deliveries).filter((id) => !beforeHold.has(id));
    await sentinels.replica.signal('SIGCONT');

    await waitFor(async () => (await sentinels.primaryPort()) === sentinels.replica.port, 60_000, 'the sentinels to promote the replica');
    await waitFor(async () => (await info(sentinels.replica)).get('role') === 'master', 30_000, 'the replica to become primary');
    const electionMs = Date.now() - killedAt;
    // The failed node comes back, as an operator would restart it: the sentinels make it a replica of the new primary.
    // Until then the new primary has no replica, so with minReplicas 1 every webhook answers 503 (and is retried).
    await sentinels.primary.restart();
    const linked = async () => (await info(sentinels.primary)).get('master_link_status') === 'up';
    const converted = await waitFor(linked, 20_000, 'the sentinels to make the old primary a replica').then(
      () => true,
      () => false,
    );
    if (!converted) {
      // Seen once in CI: no sentinel had converted it 60 s after its restart. The operator's fix, so that the
      // new primary gets its replica back. The assertions below hold whoever converts it.
      console.log('sentinels did not convert the old primary within 20 s: REPLICAOF sent by the test');
      await sentinels.primary.command('REPLICAOF', LOOPBACK, String(sentinels.replica.port));
      await waitFor(linked, 40_000, 'the old primary back as a replica');
    }
    await done;
    await readiness.stop();

    const worker = await start(true);
    const ackedIds = acknowledged(deliveries);
    if (replication === 'on') await waitForHandled(worker, ackedIds, 60_000);
    await waitUntilDrained(worker, 2000, 60_000);

    const handled = handledIds(worker);
    const all = [...deliveries.values()];
    const lost = ackedIds.filter((id) => !handled.has(id));
    const twice = [...handled].filter(([, count]) => count > 1);
    const retried = all.filter((d: Delivery) => d.acknowledgedAt !== undefined && d.statuses.length > 1);
    const intakeMetrics = (await getText(intake.port, '/metrics')).body;
    figures.push({
      replication,
      burst: BURST,
      eventsPerSecondBeforeKill: eventsPerSecond,
      acknowledgedDuringHold: duringHold.length,
      acknowledgedLost: lost.length,
      refusedThenAcknowledged: retried.length,
      handledTwice: twice.length,
      electionMs,
      primaryChanges: sampleValue(intakeMetrics, 'livekit_redis_primary_changes_total', { client: 'webhook-queue' }),
      replicaWaits: Object.fromEntries(
        ['confirmed', 'short', 'failed'].map((outcome) => [
          outcome,
          sampleValue(intakeMetrics, 'livekit_redis_replica_waits_total', { outcome }),
        ]),
      ),
    });

    // The kill happened mid-burst: some answers were refusals, and LiveKit-style retries got every event in.
    expect(retried.length).toBeGreaterThan(0);
    expect(all.filter((d) => d.acknowledgedAt === undefined).map((d) => d.id)).toEqual([]);
    // Exactly once, on the promoted replica: acknowledged at once, and acknowledged after refusals alike.
    expect(twice).toEqual([]);
    if (replication === 'on') {
      expect(lost).toEqual([]);
      expect(sampleValue(intakeMetrics, 'livekit_redis_replica_waits_total', { outcome: 'confirmed' })).toBeGreaterThan(0);
      const refusedWaits =
        (sampleValue(intakeMetrics, 'livekit_redis_replica_waits_total', { outcome: 'short' }) ?? 0) +
        (sampleValue(intakeMetrics, 'livekit_redis_replica_waits_total', { outcome: 'failed' }) ?? 0);
      expect(refusedWaits).toBeGreaterThan(0);
    } else {
      // What the documentation promises without replication: an acknowledged event can be lost, at most about those
      // acknowledged while the replica lagged (the hold, plus the requests in flight when it began).
      expect(lost.length).toBeLessThanOrEqual(duringHold.length + LANES);
    }
    // Every event handled was one we sent.
    expect([...handled.keys()].every((id) => deliveries.has(id))).toBe(true);

    // Readiness said "not ready" with the topology's reason while the primary was being elected, never 500; ready after.
    const electing = readiness.samples.filter((s) => s.status === 503 && s.body.includes('a failover may be electing one'));
    expect(electing.length).toBeGreaterThan(0);
    expect(readiness.samples.filter((s) => s.status >= 500 && s.status !== 503)).toEqual([]);
    await waitFor(async () => (await getText(intake.port, '/health/ready')).status === 200, 30_000, 'the intake ready again');
    // The failover was seen by the queue's connection.
    expect(sampleValue(intakeMetrics, 'livekit_redis_primary_changes_total', { client: 'webhook-queue' })).toBeGreaterThanOrEqual(1);
    // The token rate limit counts on the new primary, shared by both instances (it fails open: uncounted, all would pass).
    const token = (port: number) =>
      fetch(`http://127.0.0.1:${port}/livekit/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ room_name: 'r' }),
      }).then((response) => response.status);
    expect([await token(intake.port), await token(worker.port), await token(intake.port), await token(worker.port)]).toEqual([
      201, 201, 201, 429,
    ]);
  });
});
