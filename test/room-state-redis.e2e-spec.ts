import { ResolvedRedisConnection } from '../src/common/redis-connection';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { WebhookEvent } from 'livekit-server-sdk';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveKitModule, LiveKitWebhookModule } from '../src';
import { LiveKitWebhookQueueModule } from '../src/queue';
import { LiveKitRoomStateModule, type LiveKitRoomStateModuleOptions, LiveKitRoomStateService } from '../src/room-state';
import { liveKitTestOptions, liveKitWebhookEvent, signLiveKitWebhook } from '../src/testing';
import { createApp } from './support/create-app';
import { PrivateRedis } from './support/queue-cluster';
import { ChangeLog } from './support/room-state-watch';
import { applyEvent } from '../src/room-state/room-state.projection';
import { RedisRoomStateStore } from '../src/room-state/redis-room-state.store';
import { freeTcpPort } from './support/spawn-server';

jest.setTimeout(60_000);

/** Room state on its own redis-server, with LiveKit never reached (schedule off). */
describe('room state on Redis', () => {
  let redis: PrivateRedis;
  const apps: INestApplication[] = [];

  const start = async (imports: unknown[], options: LiveKitRoomStateModuleOptions) => {
    const closedPort = await freeTcpPort();
    const { app } = await createApp('express', [
      LiveKitModule.forRoot(liveKitTestOptions({ url: `ws://127.0.0.1:${closedPort}` })),
      LiveKitWebhookModule.forRoot(),
      ...(imports as never[]),
      LiveKitRoomStateModule.forRoot({ reconcileIntervalMs: 0, reconcileOnStart: false, ...options }),
    ]);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    const url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    return { app, url, state: app.get(LiveKitRoomStateService) };
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await redis?.destroy();
  });

  it('while Redis is down a webhook is not acknowledged (LiveKit retries it); the retry after Redis is back lands', async () => {
    const prefix = `rs-outage-${randomUUID().slice(0, 8)}`;
    const { url, state } = await start([], { redis: { url: redis.url }, keyPrefix: prefix });
    const signed = await signLiveKitWebhook(liveKitWebhookEvent('participant_joined', { room: { sid: 'RM_o', name: 'outage-room' } }));
    const deliver = () => fetch(`${url}/webhook`, { method: 'POST', headers: signed.headers, body: signed.body });

    await redis.kill();
    const refused = await deliver();
    expect(refused.status).toBeGreaterThanOrEqual(500);
    await expect(state.rooms()).rejects.toThrow();

    await redis.restart();
    // LiveKit's retry of the same delivery: the failed handler runs again
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await deliver()).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    expect((await state.participants('outage-room')).map((p) => p.identity)).toEqual(['alice']);
  });

  it('in durable mode the state goes to the queue’s Redis without options of its own, fed by the queue workers', async () => {
    const queuePrefix = `rs-queue-${randomUUID().slice(0, 8)}`;
    const { url, state } = await start([LiveKitWebhookQueueModule.forRoot({ url: redis.url, prefix: queuePrefix })], {
      keyPrefix: `${queuePrefix}-state`,
    });
    const log = new ChangeLog(state);
    try {
      const signed = await signLiveKitWebhook(liveKitWebhookEvent('participant_joined', { room: { sid: 'RM_q', name: 'queued-room' } }));
      expect((await fetch(`${url}/webhook`, { method: 'POST', headers: signed.headers, body: signed.body })).status).toBe(200);
      await log.next(0, (c) => c.room === 'queued-room' && c.type === 'participant_joined', 'the queued event to reach the state');
      const client = new Redis(redis.url);
      try {
        expect(await client.exists(`${queuePrefix}-state:{room:queued-room}`)).toBe(1);
      } finally {
        client.disconnect();
      }
    } finally {
      log.close();
    }
  });

  it('two stores mutating one room at once lose no update (compare-and-set), and one instance claims each reconcile', async () => {
    const keyPrefix = `rs-cas-${randomUUID().slice(0, 8)}`;
    const connection = new ResolvedRedisConnection({ url: redis.url }, (problem) => new Error(problem));
    const options = { connection, keyPrefix, finishedRetentionMs: 60_000 };
    const stores = [new RedisRoomStateStore(options), new RedisRoomStateStore(options)];
    try {
      await Promise.all(stores.map((store) => store.onModuleInit()));
      const events = Array.from({ length: 100 }, (_, i) =>
        WebhookEvent.fromJson(
          liveKitWebhookEvent('participant_joined', {
            room: { sid: 'RM_cas', name: 'cas-room' },
            participant: { sid: `PA_${i}`, identity: `p${i}`, state: 'ACTIVE', joinedAtMs: String(Date.now()) },
          }) as never,
        ),
      );
      await Promise.all(events.map((event, i) => stores[i % 2]!.mutate('cas-room', (record) => applyEvent(record, event, Date.now()))));
      for (const store of stores) expect(Object.keys((await store.get('cas-room'))?.participants ?? {})).toHaveLength(100);
      const claims = await Promise.all(stores.map((store) => store.claimReconcile(10_000)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
