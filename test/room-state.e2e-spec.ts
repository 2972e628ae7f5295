import type { Room } from '@livekit/rtc-node';
import type { INestApplication } from '@nestjs/common';
import { AccessToken, RoomServiceClient, WebhookEvent } from 'livekit-server-sdk';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { LiveKitModule, LiveKitWebhookModule } from '../src';
import { LiveKitMetricsModule } from '../src/metrics';
import {
  type LiveKitRoomChange,
  LiveKitRoomStateModule,
  type LiveKitRoomStateModuleOptions,
  LiveKitRoomStateReconciler,
  LiveKitRoomStateService,
} from '../src/room-state';
import { signLiveKitWebhook } from '../src/testing';
import { createApp } from './support/create-app';
import { describeWithLiveKitServer, type LiveKitServer, startLiveKitServer } from './support/livekit-server';
import { PrivateRedis } from './support/queue-cluster';
import { ChangeLog, projected, until } from './support/room-state-watch';
import { disposeRtc, joinRoom, leave, publishAudioTrack } from './support/rtc-participant';
import { freeTcpPort } from './support/spawn-server';
import { startWebhookCapture } from './support/webhook-capture';

const KEY = 'state-e2e-key';
const SECRET = 'state-e2e-secret-0123456789abcdef0123456789ab';
const ADMIN = 'state-e2e-admin-token-0123456789abcdef012345';
/** The reconcile interval of the app under test: the loss test must be repaired within it. */
const RECONCILE_MS = 8_000;

jest.setTimeout(90_000);

interface StateApp {
  app: INestApplication;
  url: string;
  state: LiveKitRoomStateService;
  reconciler: LiveKitRoomStateReconciler;
  log: ChangeLog;
  /** While true the app answers 401 to every webhook, as with a wrong key: LiveKit does not retry those. */
  refusing: boolean;
  refused: number;
}

let livekit: LiveKitServer;

async function startStateApp(port: number, options: LiveKitRoomStateModuleOptions): Promise<StateApp> {
  const holder = { refusing: false, refused: 0 };
  const { app } = await createApp(
    'express',
    [
      LiveKitModule.forRoot({ apiKey: KEY, apiSecret: SECRET, url: livekit.url }),
      LiveKitWebhookModule.forRoot(),
      LiveKitRoomStateModule.forRoot({ routes: true, adminToken: ADMIN, ...options }),
      LiveKitMetricsModule.forRoot({ defaultMetrics: false }),
    ],
    {},
    (nest) =>
      nest.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        if (!holder.refusing || req.url !== '/webhook') return next();
        holder.refused += 1;
        res.statusCode = 401;
        res.end();
      }),
  );
  await app.listen(port, '127.0.0.1');
  const state = app.get(LiveKitRoomStateService);
  const result: StateApp = {
    app,
    url: `http://127.0.0.1:${port}`,
    state,
    reconciler: app.get(LiveKitRoomStateReconciler),
    log: new ChangeLog(state),
    get refusing() {
      return holder.refusing;
    },
    set refusing(value: boolean) {
      holder.refusing = value;
    },
    get refused() {
      return holder.refused;
    },
  };
  return result;
}

async function token(room: string, identity: string): Promise<string> {
  const at = new AccessToken(KEY, SECRET, { identity, ttl: '10m' });
  at.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true });
  return at.toJwt();
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

describeWithLiveKitServer('room state against the real LiveKit Server', () => {
  let main: StateApp;
  let instanceA: StateApp;
  let instanceB: StateApp;
  let redis: PrivateRedis;
  let rooms: RoomServiceClient;
  let capture: Awaited<ReturnType<typeof startWebhookCapture>>;
  const joined: Room[] = [];
  const prefix = `room-state-e2e-${randomUUID().slice(0, 8)}`;

  const join = async (room: string, identity: string): Promise<Room> => {
    const participant = await joinRoom(livekit.url, await token(room, identity));
    joined.push(participant);
    return participant;
  };
  /** The projection of `app` and LiveKit's `listParticipants` agree, now. */
  const expectAgreement = async (app: StateApp, room: string) => {
    expect(projected(await app.state.participants(room))).toEqual(projected(await rooms.listParticipants(room)));
  };
  const agrees = async (app: StateApp, room: string) =>
    JSON.stringify(projected(await app.state.participants(room))) === JSON.stringify(projected(await rooms.listParticipants(room)));

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    capture = await startWebhookCapture();
    const [mainPort, portA, portB] = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
    livekit = await startLiveKitServer({
      keys: { [KEY]: SECRET },
      webhookUrls: [
        `http://127.0.0.1:${mainPort}/webhook`,
        `http://127.0.0.1:${portA}/webhook`,
        `http://127.0.0.1:${portB}/webhook`,
        capture.url,
      ],
      emptyTimeoutSeconds: 60,
      departureTimeoutSeconds: 30,
    });
    rooms = new RoomServiceClient(livekit.httpUrl, KEY, SECRET);
    main = await startStateApp(mainPort, { reconcileIntervalMs: RECONCILE_MS });
    // Two instances on one Redis; LiveKit posts every event to both, so they apply each one concurrently.
    const shared: LiveKitRoomStateModuleOptions = {
      redis: { url: redis.url },
      keyPrefix: prefix,
      reconcileIntervalMs: 0,
      reconcileOnStart: false,
    };
    instanceA = await startStateApp(portA, shared);
    instanceB = await startStateApp(portB, shared);
  }, 180_000);

  afterAll(async () => {
    for (const room of joined) await leave(room).catch(() => undefined);
    await disposeRtc();
    for (const app of [main, instanceA, instanceB]) {
      app?.log.close();
      await app?.app.close();
    }
    await livekit?.stop();
    await capture?.close();
    await redis?.destroy();
  }, 60_000);

  let stepsRoom: string;

  it('participants join, publish, unpublish, leave and rejoin: the state matches listParticipants at every step', async () => {
    const room = (stepsRoom = unique('steps'));
    const log = main.log;
    const step = async (action: () => Promise<unknown>, match: (c: LiveKitRoomChange) => boolean, what: string) => {
      const from = log.mark();
      await action();
      const change = await log.next(from, (c) => c.room === room && match(c), what);
      await expectAgreement(main, room);
      return change;
    };
    const is = (type: string, identity: string) => (c: LiveKitRoomChange) => c.type === type && c.participant?.identity === identity;

    let alice!: Room;
    const first = await step(async () => (alice = await join(room, 'alice')), is('participant_joined', 'alice'), 'alice joins');
    let bob!: Room;
    await step(async () => (bob = await join(room, 'bob')), is('participant_joined', 'bob'), 'bob joins');
    let aliceTrack = '';
    await step(
      async () => (aliceTrack = await publishAudioTrack(alice)),
      (c) => c.type === 'track_published' && c.track?.sid === aliceTrack,
      'alice publishes',
    );
    let bobTrack = '';
    await step(
      async () => (bobTrack = await publishAudioTrack(bob)),
      (c) => c.type === 'track_published' && c.track?.sid === bobTrack,
      'bob publishes',
    );
    await step(
      () => alice.localParticipant!.unpublishTrack(aliceTrack),
      (c) => c.type === 'track_unpublished' && c.track?.sid === aliceTrack,
      'alice unpublishes',
    );
    await step(() => leave(alice), is('participant_left', 'alice'), 'alice leaves');
    // the same identity again: a new session (sid) of alice
    let alice2!: Room;
    const again = await step(
      async () => (alice2 = await join(room, 'alice')),
      (c) => is('participant_joined', 'alice')(c) && c.participant?.sid !== first.participant?.sid,
      'alice joins again',
    );
    expect(again.participant?.sid).toMatch(/^PA_/);
    let alice2Track = '';
    await step(
      async () => (alice2Track = await publishAudioTrack(alice2)),
      (c) => c.type === 'track_published' && c.track?.sid === alice2Track,
      'alice publishes again',
    );
    await step(() => leave(bob), is('participant_left', 'bob'), 'bob leaves');
    expect((await main.state.room(room))?.participants.map((p) => p.identity)).toEqual(['alice']);

    // A mute made through RoomService sends no webhook: the on-demand reconcile repairs it, marked reconciled.
    await rooms.mutePublishedTrack(room, 'alice', alice2Track, true);
    await until(
      () => rooms.listParticipants(room),
      (list) => list[0]?.tracks[0]?.muted === true,
      'LiveKit to show the track muted',
    );
    const response = await fetch(`${main.url}/rooms-state/reconcile`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { changes: LiveKitRoomChange[]; drift: Record<string, number> };
    expect(result.drift.track_changed).toBeGreaterThanOrEqual(1);
    expect(result.changes).toContainEqual(
      expect.objectContaining({
        type: 'track_updated',
        room,
        reconciled: true,
        cause: 'reconcile',
        track: expect.objectContaining({ sid: alice2Track, muted: true }),
      }),
    );
    await expectAgreement(main, room);
    // the REST view is the service's
    const rest = await fetch(`${main.url}/rooms-state/${encodeURIComponent(room)}`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(await rest.json()).toEqual(await main.state.room(room));
  });

  it('induced loss: webhooks refused with 401 while participants join and leave; within one reconcile interval the state is the truth again', async () => {
    const room = unique('loss');
    const from = main.log.mark();
    const bob = await join(room, 'bob');
    const bobTrack = await publishAudioTrack(bob);
    await main.log.next(from, (c) => c.room === room && c.track?.sid === bobTrack, 'bob publishing');
    const dave = await join(room, 'dave');
    await main.log.next(
      from,
      (c) => c.room === room && c.type === 'participant_joined' && c.participant?.identity === 'dave',
      'dave joining',
    );

    // Start the loss right after a scheduled reconcile, so that the next one comes only after the restore.
    const previousRun = main.reconciler.lastResult?.startedAt;
    await until(
      () => main.reconciler.lastResult?.startedAt,
      (at) => at !== previousRun,
      'a scheduled reconcile',
      RECONCILE_MS + 10_000,
    );
    const runBeforeLoss = main.reconciler.lastResult?.startedAt;
    const lossFrom = main.log.mark();
    const refusedBefore = main.refused;
    main.refusing = true;
    await leave(dave);
    const erin = await join(room, 'erin');
    const erinTrack = await publishAudioTrack(erin);
    await bob.localParticipant!.unpublishTrack(bobTrack);
    await until(
      () => rooms.listParticipants(room),
      (list) =>
        JSON.stringify(projected(list).map((p) => p.split('/')[0] + (p.includes('[]') ? '' : '+track'))) ===
        JSON.stringify(['bob', 'erin+track']),
      'LiveKit to list bob without a track and erin with one',
    );
    // LiveKit tried to deliver the four events of the loss (dave left, erin joined and published, bob unpublished)
    await until(
      () => main.refused - refusedBefore,
      (n) => n >= 4,
      'LiveKit to have posted the lost events',
    );
    const reconciledDuringLoss = main.reconciler.lastResult?.startedAt !== runBeforeLoss;
    if (!reconciledDuringLoss) expect(await agrees(main, room)).toBe(false); // the projection missed them

    main.refusing = false;
    const restored = performance.now();
    await until(() => agrees(main, room), Boolean, 'the state to match listParticipants', RECONCILE_MS + 10_000);
    const repairedMs = Math.round(performance.now() - restored);
    console.log(
      `room-state loss → repaired: ${repairedMs} ms after the restore (reconcile interval ${RECONCILE_MS} ms${reconciledDuringLoss ? '; a reconcile ran during the loss' : ''})`,
    );
    expect(repairedMs).toBeLessThanOrEqual(RECONCILE_MS + 2_000);
    await expectAgreement(main, room);

    const repairs = main.log.changes.slice(lossFrom).filter((c) => c.room === room && c.reconciled);
    const described = repairs.map((c) => `${c.type}:${c.participant?.identity ?? ''}:${c.track?.sid ?? ''}`);
    expect(described).toEqual(
      expect.arrayContaining([
        'participant_left:dave:',
        'participant_joined:erin:',
        `track_published:erin:${erinTrack}`,
        `track_unpublished:bob:${bobTrack}`,
      ]),
    );
    // repaired for good: the next comparison finds nothing (no drift that reappears at every run)
    const again = await main.reconciler.reconcile();
    expect(again.drift).toEqual({});
    expect(again.changes).toEqual([]);
    const metrics = await (await fetch(`${main.url}/metrics`)).text();
    expect(metrics).toMatch(/livekit_room_state_drift_repaired_total\{kind="participant_missing"\} [1-9]/);
    expect(metrics).toMatch(/livekit_room_state_drift_found_total\{kind="participant_stale"\} [1-9]/);
  });

  it('out of order: the captured real events of the steps replayed in swapped orders end in the same state', async () => {
    const room = stepsRoom;
    const deliveries = capture.requests
      .map((r) => ({
        body: r.body,
        headers: r.headers,
        event: WebhookEvent.fromJson(JSON.parse(r.body.toString()) as never, { ignoreUnknownFields: true }),
      }))
      .filter((d) => d.event.room?.name === room);
    expect(deliveries.length).toBeGreaterThanOrEqual(10);

    const replay = async (order: typeof deliveries) => {
      const app = await startStateApp(await freeTcpPort(), { reconcileIntervalMs: 0, reconcileOnStart: false });
      try {
        for (const d of order) {
          const res = await fetch(`${app.url}/webhook`, {
            method: 'POST',
            headers: { authorization: String(d.headers.authorization), 'content-type': String(d.headers['content-type']) },
            body: d.body,
          });
          expect(res.status).toBe(200);
        }
        return projected(await app.state.participants(room));
      } finally {
        app.log.close();
        await app.app.close();
      }
    };
    // LiveKit's order, minus the mute only RoomService knows of
    const inOrder = await replay(deliveries);
    expect(inOrder).toEqual(projected(await rooms.listParticipants(room)).map((p) => p.replace(':muted', '')));
    const reversed = [...deliveries].reverse();
    const pairsSwapped = deliveries.flatMap((_, i, all) => (i % 2 === 0 ? [all[i + 1], all[i]].filter((d) => d !== undefined) : []));
    // the rejoin's events first, then the first session's, as after a quick reconnect
    const aliceSessions = [
      ...new Set(deliveries.filter((d) => d.event.participant?.identity === 'alice').map((d) => d.event.participant!.sid)),
    ];
    expect(aliceSessions).toHaveLength(2);
    const newerFirst = [
      ...deliveries.filter((d) => d.event.participant?.sid === aliceSessions[1]),
      ...deliveries.filter((d) => d.event.participant?.sid !== aliceSessions[1]),
    ];
    for (const order of [reversed, pairsSwapped, newerFirst]) expect(await replay(order)).toEqual(inOrder);
  });

  it('two instances on one Redis, both receiving every event concurrently, agree with each other and with LiveKit', async () => {
    const room = unique('shared');
    const names = ['p1', 'p2', 'p3', 'p4'];
    const participants = await Promise.all(names.map((n) => join(room, n)));
    await Promise.all(participants.map((p) => publishAudioTrack(p)));
    await Promise.all([leave(participants[0]!), leave(participants[1]!)]);
    for (const app of [instanceA, instanceB]) await until(() => agrees(app, room), Boolean, 'the instance to match listParticipants');
    expect(await instanceA.state.room(room)).toEqual(await instanceB.state.room(room));
    // each change was made once (by one instance) and reached both
    const joins = (app: StateApp) =>
      app.log.changes.filter((c) => c.room === room && c.type === 'participant_joined').map((c) => c.participant?.sid);
    await until(
      () => [joins(instanceA).length, joins(instanceB).length],
      ([a, b]) => a === 4 && b === 4,
      'both instances to see 4 joins',
    );
    expect(new Set(joins(instanceA)).size).toBe(4);

    // A burst of signed events about one room, half to each instance, all at once: the room's key is contended.
    const burst = unique('burst');
    const roomJson = { sid: `RM_${burst}`, name: burst, creationTime: String(Math.floor(Date.now() / 1000)) };
    const now = Math.floor(Date.now() / 1000);
    const events = Array.from({ length: 30 }, (_, i) => {
      const participant = {
        sid: `PA_${burst}_${i}`,
        identity: `u${i}`,
        state: 'ACTIVE',
        joinedAtMs: String(Date.now() + i),
        version: 1,
      };
      const joinedEvent = { event: 'participant_joined', id: `EV_${burst}_j${i}`, createdAt: String(now), room: roomJson, participant };
      const leftEvent = { event: 'participant_left', id: `EV_${burst}_l${i}`, createdAt: String(now + 1), room: roomJson, participant };
      return i % 2 === 0 ? [joinedEvent, leftEvent] : [joinedEvent];
    }).flat();
    const results = await Promise.all(
      events.map(async (event, i) => {
        const signed = await signLiveKitWebhook(event, { apiKey: KEY, apiSecret: SECRET });
        const target = i % 2 === 0 ? instanceA : instanceB;
        return (await fetch(`${target.url}/webhook`, { method: 'POST', headers: signed.headers, body: signed.body })).status;
      }),
    );
    expect(results.every((status) => status === 200)).toBe(true);
    const expected = Array.from({ length: 15 }, (_, k) => `u${2 * k + 1}`).sort();
    for (const app of [instanceA, instanceB]) {
      expect((await app.state.participants(burst)).map((p) => p.identity).sort()).toEqual(expected);
    }
    expect(await instanceA.state.room(burst)).toEqual(await instanceB.state.room(burst));
    const burstChanges = (app: StateApp) => app.log.changes.filter((c) => c.room === burst);
    await until(
      () => [burstChanges(instanceA).length, burstChanges(instanceB).length],
      ([a, b]) => a === b,
      'both instances to see the same changes',
    );
    const ids = burstChanges(instanceA).map((c) => `${c.type}:${c.participant?.sid ?? ''}`);
    expect(new Set(ids).size).toBe(ids.length); // no change emitted twice
    // one hash per room, hash-tagged for Redis Cluster
    const client = new Redis(redis.url);
    try {
      expect(await client.exists(`${prefix}:{room:${burst}}`)).toBe(1);
      expect(await client.sismember(`${prefix}:rooms`, burst)).toBe(1);
    } finally {
      client.disconnect();
    }
  });
});
