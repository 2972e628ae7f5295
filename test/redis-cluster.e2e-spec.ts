import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { WebhookEvent } from 'livekit-server-sdk';
import { ResolvedRedisConnection } from '../src/common/redis-connection';
import { clusterSlotOf } from '../src/common/redis-primary';
import { RedisRoomStateStore } from '../src/room-state/redis-room-state.store';
import { applyEvent } from '../src/room-state/room-state.projection';
import { liveKitWebhookEvent } from '../src/testing';
import {
  acknowledged,
  getText,
  handledIds,
  postOnce,
  sampleEndpoint,
  sendLikeLiveKit,
  signedEvents,
  waitForHandled,
  waitUntilDrained,
} from './support/failover-burst';
import { LOOPBACK } from './support/free-port';
import { sampleValue } from './support/prometheus-text';
import { ClusterSet, info } from './support/redis-topology';
import { type ServerProcess, spawnStandalone, waitFor, waitUntilListening } from './support/spawn-server';
import { TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';

/**
 * Durable mode, the token rate limit and deduplication on a Redis Cluster of three primaries with a replica each,
 * all started here on loopback (`redis-server --cluster-enabled yes`, `redis-cli --cluster create`), through the
 * standalone server's settings (REDIS_CLUSTER_NODES). Then the primary that owns the queue's slot is SIGKILLed
 * mid-burst with replication held back (its replica SIGSTOPped and its link dropped, as in the Sentinel suite), its
 * replica is promoted, and with WEBHOOK_QUEUE_MIN_REPLICAS=1 no acknowledged event may be lost.
 */
jest.setTimeout(200_000);

const PREFIX = '{lk-cluster}';
const QUEUE_SLOT = clusterSlotOf(PREFIX);
const BURST = 150;
const HOLD_MS = 400;

describe('Redis Cluster', () => {
  let cluster: ClusterSet | undefined;
  const servers: ServerProcess[] = [];

  const env = (workers: boolean, extra: Record<string, string> = {}): Record<string, string> => ({
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
    WEBHOOK_MODE: 'queue',
    REDIS_CLUSTER_NODES: (cluster as ClusterSet).addresses,
    WEBHOOK_QUEUE_PREFIX: PREFIX,
    WEBHOOK_QUEUE_WORKERS: String(workers),
    WEBHOOK_QUEUE_ENQUEUE_TIMEOUT_MS: '1000',
    WEBHOOK_QUEUE_MIN_REPLICAS: '1',
    WEBHOOK_QUEUE_REPLICATION_TIMEOUT_MS: '500',
    TOKEN_RATE_LIMIT: '3',
    TOKEN_RATE_TTL: '1m',
    ...extra,
  });

  const start = async (workers: boolean): Promise<ServerProcess> => {
    const server = await spawnStandalone(env(workers));
    servers.push(server);
    await waitUntilListening(server, 60_000);
    await waitFor(async () => (await getText(server.port, '/health/ready')).status === 200, 30_000, 'the instance ready');
    return server;
  };

  beforeAll(async () => {
    cluster = await ClusterSet.start({ primaries: 3 });
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await cluster?.destroy();
  });

  it('needs a hash tag in the queue prefix: without one BullMQ fails with CROSSSLOT, so the server refuses it at boot', async () => {
    const seeds = (cluster as ClusterSet).addresses.split(',').map((address) => ({ host: LOOPBACK, port: Number(address.split(':')[1]) }));
    const client = new Cluster(seeds, { redisOptions: { maxRetriesPerRequest: null } });
    const plain = new Queue('livekit-webhooks', { connection: client, prefix: 'lk-plain' });
    try {
      await expect(plain.add('participant_joined', { body: '{}' }, { jobId: 'EV_plain' })).rejects.toThrow(/CROSSSLOT/);
    } finally {
      await plain.close();
      await client.quit().catch(() => client.disconnect());
    }
    const refused = await spawnStandalone(env(true, { WEBHOOK_QUEUE_PREFIX: 'lk-plain' }));
    servers.push(refused);
    const code = await Promise.race([refused.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 60_000))]);
    expect(code).not.toBe(0);
    expect(code).not.toBe('still running');
    // JSON log lines: the quotes of the message are escaped.
    expect(refused.output()).toContain(`boot failed: prefix \\"lk-plain\\" has no hash tag`);
    expect(refused.output()).toContain(`Fix: put it in braces, e.g. prefix: '{lk-plain}' (standalone: WEBHOOK_QUEUE_PREFIX)`);
  });

  it('runs durable mode, deduplication and the shared token rate limit unchanged, with the queue in one slot', async () => {
    const [a, b] = [await start(true), await start(true)];
    const events = await signedEvents(20);
    const [again] = await signedEvents(1);
    const statuses: number[] = [];
    for (const [index, event] of events.entries()) statuses.push(await postOnce(index % 2 ? a.port : b.port, event));
    // The same event, posted to both instances several times: one job, handled once.
    for (const port of [a.port, b.port, a.port, b.port, a.port]) statuses.push(await postOnce(port, again!));
    expect(statuses.every((status) => status === 200)).toBe(true);
    const ids = [...events.map((e) => e.id), again!.id];
    const total = () => {
      const counts = new Map<string, number>();
      for (const server of [a, b]) for (const [id, n] of handledIds(server)) counts.set(id, (counts.get(id) ?? 0) + n);
      return counts;
    };
    await waitFor(() => ids.every((id) => total().has(id)), 60_000, 'every event handled');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a second run would show within this
    expect([...total().values()].every((n) => n === 1)).toBe(true);
    expect(total().size).toBe(ids.length);

    // One limit across both instances: the counters live in the cluster (keys hash-tagged by client).
    const token = (port: number) =>
      fetch(`http://${LOOPBACK}:${port}/livekit/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ room_name: 'r' }),
      }).then((response) => response.status);
    expect([await token(a.port), await token(b.port), await token(a.port), await token(b.port)]).toEqual([201, 201, 201, 429]);

    // Every key of the queue is on the primary that owns its slot; none elsewhere.
    const owner = await (cluster as ClusterSet).primaryOf(QUEUE_SLOT);
    for (const node of (cluster as ClusterSet).nodes) {
      if ((await info(node)).get('role') !== 'master') continue;
      const keys = (await node.command('KEYS', `${PREFIX}*`)) as string[];
      if (node === owner) expect(keys.length).toBeGreaterThan(0);
      else expect(keys).toEqual([]);
    }

    // WAIT goes to the primary that owns the queue's slot: with its replica stopped (connected, not acknowledging),
    // the webhook answers 503; a WAIT sent to any other primary would count that primary's healthy replica and answer 200.
    const ownerReplica = await (cluster as ClusterSet).replicaOf(owner);
    const [lagging] = await signedEvents(1);
    await ownerReplica.signal('SIGSTOP');
    try {
      expect(await postOnce(a.port, lagging!)).toBe(503);
    } finally {
      await ownerReplica.signal('SIGCONT');
    }
    await waitFor(async () => (await postOnce(a.port, lagging!)) === 200, 15_000, 'the retry acknowledged');
    await waitFor(() => [a, b].some((server) => handledIds(server).has(lagging!.id)), 30_000, 'the retried event handled');
    await Promise.all([a.stop(), b.stop()]);
  });

  it('keeps the room state on the cluster: rooms in several slots, concurrent writes of two instances all land', async () => {
    const set = cluster as ClusterSet;
    const nodes = set.addresses.split(',').map((address) => ({ host: LOOPBACK, port: Number(address.split(':')[1]) }));
    const connection = new ResolvedRedisConnection({ cluster: { nodes } }, (problem) => new Error(problem));
    const options = { connection, keyPrefix: 'lk-room-state-cluster', finishedRetentionMs: 60_000 };
    const stores = [new RedisRoomStateStore(options), new RedisRoomStateStore(options)];
    try {
      await Promise.all(stores.map((store) => store.onModuleInit()));
      const rooms = Array.from({ length: 6 }, (_, r) => `cluster-room-${r}`);
      const slots = new Set(rooms.map((room) => clusterSlotOf(`lk-room-state-cluster:{room:${room}}`)));
      expect(slots.size).toBeGreaterThan(1);
      const writes = rooms.flatMap((room, r) =>
        Array.from({ length: 20 }, (_, i) =>
          WebhookEvent.fromJson(
            liveKitWebhookEvent('participant_joined', {
              room: { sid: `RM_c${r}`, name: room },
              participant: { sid: `PA_c${r}_${i}`, identity: `p${i}`, state: 'ACTIVE', joinedAtMs: String(Date.now()) },
            }) as never,
          ),
        ),
      );
      await Promise.all(
        writes.map((event, i) => stores[i % 2]!.mutate(event.room!.name, (record) => applyEvent(record, event, Date.now()))),
      );
      for (const store of stores) {
        const listed = await store.list();
        expect(listed.map((record) => record.room?.name).sort()).toEqual([...rooms].sort());
        for (const record of listed) expect(Object.keys(record.participants ?? {})).toHaveLength(20);
      }
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('loses no acknowledged event when the queue’s primary is killed mid-burst and its replica promoted (replication on)', async () => {
    const set = cluster as ClusterSet;
    const owner = await set.primaryOf(QUEUE_SLOT);
    const replica = await set.replicaOf(owner);
    const intake = await start(false);
    const events = await signedEvents(BURST);
    const readiness = sampleEndpoint(intake.port, '/health/ready', 100);

    const startedAt = Date.now();
    const { deliveries, done } = sendLikeLiveKit(intake.port, events, 8);
    await waitFor(() => acknowledged(deliveries).length >= BURST / 3, 60_000, 'a third of the burst acknowledged');
    const beforeHold = acknowledged(deliveries).length;
    const eventsPerSecond = Math.round((beforeHold * 1000) / (Date.now() - startedAt));

    await replica.signal('SIGSTOP');
    await owner.command('CLIENT', 'KILL', 'TYPE', 'replica');
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    await owner.signal('SIGKILL');
    const killedAt = Date.now();
    const duringHold = acknowledged(deliveries).length - beforeHold;
    await replica.signal('SIGCONT');

    await waitFor(async () => (await info(replica)).get('role') === 'master', 60_000, 'the replica promoted');
    const electionMs = Date.now() - killedAt;
    // The failed node is restarted and rejoins as the replica of the promoted one (until then WAIT 1 cannot succeed there).
    await owner.restart();
    await waitFor(() => set.healthy(), 60_000, 'the cluster healthy again, the old primary a replica');
    await done;
    await readiness.stop();

    const worker = await start(true);
    const ackedIds = acknowledged(deliveries);
    await waitForHandled(worker, ackedIds, 60_000);
    await waitUntilDrained(worker, 2000, 60_000);
    const handled = handledIds(worker);
    const all = [...deliveries.values()];
    const lost = ackedIds.filter((id) => !handled.has(id));
    const twice = [...handled].filter(([, count]) => count > 1);
    const retried = all.filter((d) => d.acknowledgedAt !== undefined && d.statuses.length > 1);
    const metrics = (await getText(intake.port, '/metrics')).body;
    console.log(
      `Cluster failover figures: ${JSON.stringify({
        burst: BURST,
        eventsPerSecondBeforeKill: eventsPerSecond,
        acknowledgedDuringHold: duringHold,
        acknowledgedLost: lost.length,
        refusedThenAcknowledged: retried.length,
        handledTwice: twice.length,
        electionMs,
        primaryChanges: sampleValue(metrics, 'livekit_redis_primary_changes_total', { client: 'webhook-queue' }),
        replicaWaits: Object.fromEntries(
          ['confirmed', 'short', 'failed'].map((outcome) => [
            outcome,
            sampleValue(metrics, 'livekit_redis_replica_waits_total', { outcome }),
          ]),
        ),
      })}`,
    );

    expect(retried.length).toBeGreaterThan(0);
    expect(all.filter((d) => d.acknowledgedAt === undefined).map((d) => d.id)).toEqual([]);
    expect(lost).toEqual([]);
    expect(twice).toEqual([]);
    expect([...handled.keys()].every((id) => deliveries.has(id))).toBe(true);
    expect(readiness.samples.filter((s) => s.status === 503 && s.body.includes('a failover may be electing one')).length).toBeGreaterThan(
      0,
    );
    expect(readiness.samples.filter((s) => s.status >= 500 && s.status !== 503)).toEqual([]);
    expect(sampleValue(metrics, 'livekit_redis_primary_changes_total', { client: 'webhook-queue' })).toBeGreaterThanOrEqual(1);
  });
});
