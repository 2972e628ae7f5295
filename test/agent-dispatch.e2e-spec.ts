import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  LiveKitAgentDispatchModule,
  LiveKitAgentDispatchNotFoundException,
  LiveKitAgentDispatchService,
  LiveKitModule,
  LiveKitRoomModule,
  LiveKitRoomNotFoundException,
  LiveKitRoomService,
  LiveKitTokenModule,
  type ParticipantInfo,
} from '../src';
import type { HttpAdapterName } from '../src/server/config/server.config';
import { type AgentWorker, startAgentWorker } from './support/agent-worker';
import { createApp } from './support/create-app';
import { eventually } from './support/eventually';
import { describeWithLiveKitServer, type LiveKitServer, startLiveKitServer } from './support/livekit-server';
import { disposeRtc, joinRoom, leave } from './support/rtc-participant';
import { spawnStandalone, waitUntilListening } from './support/spawn-server';
import { ADAPTERS } from './support/standalone-app';
import { freeTcpPort } from './support/free-port';
import type { Room as RtcRoom } from '@livekit/rtc-node';
import { LiveKitWebhookModule } from '../src';
import { LiveKitRoomStateModule, LiveKitRoomStateService } from '../src/room-state';
import { ChangeLog } from './support/room-state-watch';

const API_KEY = 'agents-e2e-key';
const API_SECRET = 'agents-e2e-secret-0123456789abcdef0123456789abcdef';
const ADMIN_TOKEN = 'agents-e2e-admin-token-0123456789abcdef0123';
const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const AGENT_NAME = 'e2e-echo-agent';
const AGENT_WAIT_MS = 60_000;

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

jest.setTimeout(120_000);

let livekit: LiveKitServer;
const joined: RtcRoom[] = [];
/** Where the real-agent app listens: livekit-server posts its webhooks there, for the room state. */
let agentAppPort: number;

async function startApp(adapter: HttpAdapterName) {
  return createApp(adapter, [
    LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: livekit.url }),
    LiveKitTokenModule.forRoot(),
    LiveKitRoomModule.forRoot(),
    LiveKitAgentDispatchModule.forRoot({ routes: true, adminToken: ADMIN_TOKEN }),
  ]);
}

/** Joins `room` as a real participant with a token from our `POST /livekit/token`, which may carry `room_config`. */
async function joinWithToken(app: INestApplication, body: Record<string, unknown>): Promise<RtcRoom> {
  const res = await request(app.getHttpServer()).post('/livekit/token').send(body).expect(201);
  const participant = await joinRoom(livekit.url, (res.body as { participant_token: string }).participant_token);
  joined.push(participant);
  return participant;
}

const dispatchesPath = (room: string) => `/livekit/rooms/${encodeURIComponent(room)}/agent-dispatches`;
/** The participant's kind as livekit-server names it (`STANDARD`, `AGENT`, …). */
const kindOf = (participant: ParticipantInfo) => (participant.toJson({ emitDefaultValues: true }) as { kind: string }).kind;
const agentsOf = (participants: ParticipantInfo[]) => participants.filter((p) => kindOf(p) === 'AGENT');

describeWithLiveKitServer('agent dispatch', () => {
  beforeAll(async () => {
    // Rooms created by a dispatch wait for their first participant longer than the harness's 5 s default.
    agentAppPort = await freeTcpPort();
    livekit = await startLiveKitServer({
      keys: { [API_KEY]: API_SECRET },
      emptyTimeoutSeconds: 60,
      webhookUrls: [`http://127.0.0.1:${agentAppPort}/webhook`],
    });
  }, 120_000);

  afterAll(async () => {
    for (const room of joined) await leave(room).catch(() => undefined);
    await disposeRtc();
    await livekit?.stop();
  }, 60_000);

  describe('LiveKitAgentDispatchService against a real LiveKit server', () => {
    let app: INestApplication;
    let dispatches: LiveKitAgentDispatchService;

    beforeAll(async () => {
      ({ app } = await startApp('express'));
      dispatches = app.get(LiveKitAgentDispatchService);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('lists the dispatch a token with room_config.agents created once its participant joined', async () => {
      const room = unique('token-room');
      await joinWithToken(app, {
        room_name: room,
        participant_identity: 'caller',
        room_config: { agents: [{ agent_name: 'token-agent', metadata: '{"lang":"fr"}' }] },
      });
      const listed = await eventually(
        () => dispatches.listDispatches(room),
        (list) => list.some((d) => d.agentName === 'token-agent'),
        'the dispatch from the token',
      );
      const fromToken = listed.find((d) => d.agentName === 'token-agent')!;
      expect(fromToken).toMatchObject({ room, agentName: 'token-agent', metadata: '{"lang":"fr"}' });
      expect(fromToken.id).toMatch(/^AD_/);
      await expect(dispatches.getDispatch(room, fromToken.id)).resolves.toMatchObject({ id: fromToken.id, agentName: 'token-agent' });
    });

    it('creates, reads and deletes an explicit dispatch; 404 for what does not exist', async () => {
      const room = unique('explicit-room');
      const created = await dispatches.createDispatch(room, 'support-agent', { metadata: 'ticket-42' });
      expect(created).toMatchObject({ room, agentName: 'support-agent', metadata: 'ticket-42' });
      expect(created.id).toMatch(/^AD_/);
      expect((await dispatches.listDispatches(room)).map((d) => d.id)).toContain(created.id);
      await expect(dispatches.getDispatch(room, created.id)).resolves.toMatchObject({ id: created.id, metadata: 'ticket-42' });

      await dispatches.deleteDispatch(room, created.id);
      expect((await dispatches.listDispatches(room)).map((d) => d.id)).not.toContain(created.id);
      await expect(dispatches.getDispatch(room, created.id)).rejects.toEqual(new LiveKitAgentDispatchNotFoundException(room, created.id));
      await expect(dispatches.deleteDispatch(room, created.id)).rejects.toEqual(
        new LiveKitAgentDispatchNotFoundException(room, created.id),
      );

      // livekit-server itself answers these with 503 after a 3 s internal timeout.
      const missing = unique('no-such-room');
      for (const call of [
        () => dispatches.listDispatches(missing),
        () => dispatches.getDispatch(missing, created.id),
        () => dispatches.deleteDispatch(missing, created.id),
      ]) {
        const started = Date.now();
        await expect(call()).rejects.toEqual(new LiveKitRoomNotFoundException(missing));
        expect(Date.now() - started).toBeLessThan(2_500);
      }
    });
  });

  describe.each(ADAPTERS)('admin endpoints (%s)', (adapter) => {
    let app: INestApplication;

    beforeAll(async () => {
      ({ app } = await startApp(adapter));
    });
    afterAll(async () => {
      await app?.close();
    });

    it('POST, GET, GET one, DELETE', async () => {
      const room = unique(`rest-${adapter}`);
      const server = app.getHttpServer();
      const created = await request(server)
        .post(dispatchesPath(room))
        .set(AUTH)
        .send({ agentName: 'rest-agent', metadata: 'm1' })
        .expect(201);
      const body = created.body as { id: string; agentName: string; room: string; metadata: string; state: object };
      expect(body).toMatchObject({ agentName: 'rest-agent', room, metadata: 'm1' });
      expect(body.id).toMatch(/^AD_/);
      expect(body.state).toMatchObject({ jobs: [] });

      const listed = await request(server).get(dispatchesPath(room)).set(AUTH).expect(200);
      expect((listed.body as { dispatches: { id: string }[] }).dispatches.map((d) => d.id)).toContain(body.id);
      const one = await request(server)
        .get(`${dispatchesPath(room)}/${body.id}`)
        .set(AUTH)
        .expect(200);
      expect(one.body).toMatchObject({ id: body.id, agentName: 'rest-agent', metadata: 'm1' });

      await request(server)
        .delete(`${dispatchesPath(room)}/${body.id}`)
        .set(AUTH)
        .expect(204);
      const gone = await request(server)
        .get(`${dispatchesPath(room)}/${body.id}`)
        .set(AUTH)
        .expect(404);
      expect(gone.body).toEqual({ errorMessage: `room "${room}" has no agent dispatch "${body.id}"` });
      await request(server)
        .delete(`${dispatchesPath(room)}/${body.id}`)
        .set(AUTH)
        .expect(404);

      const missing = unique('no-such-room');
      for (const path of [dispatchesPath(missing), `${dispatchesPath(missing)}/${body.id}`]) {
        const res = await request(server).get(path).set(AUTH).expect(404);
        expect(res.body).toEqual({ errorMessage: `room "${missing}" does not exist` });
      }
      await request(server)
        .delete(`${dispatchesPath(missing)}/${body.id}`)
        .set(AUTH)
        .expect(404);
    });

    it.each([
      ['no agentName', {}, /agentName/],
      ['agentName not a string', { agentName: 42 }, /agentName must be a string/],
      ['empty agentName', { agentName: '' }, /agentName should not be empty/],
      ['null metadata', { agentName: 'a', metadata: null }, /metadata must be a string/],
      ['an unknown field', { agentName: 'a', agent_name: 'a' }, /property agent_name should not exist/],
      ['an array', [{ agentName: 'a' }], /body must be a JSON object/],
      [
        'metadata over 64000 characters',
        { agentName: 'a', metadata: 'x'.repeat(64_001) },
        /metadata must be shorter than or equal to 64000/,
      ],
    ])('400 for %s', async (_case, body, message) => {
      const res = await request(app.getHttpServer())
        .post(dispatchesPath(unique('bad')))
        .set(AUTH)
        .send(body);
      expect(res.status).toBe(400);
      expect((res.body as { errorMessage: string }).errorMessage).toMatch(message);
    });

    it('400 for a dispatch id that is not AD_…, 401 without the admin token', async () => {
      const server = app.getHttpServer();
      const bad = await request(server)
        .get(`${dispatchesPath('r')}/not-an-id`)
        .set(AUTH)
        .expect(400);
      expect(bad.body).toEqual({ errorMessage: 'dispatchId must be a LiveKit agent dispatch id (AD_…), got "not-an-id"' });
      await request(server)
        .delete(`${dispatchesPath('r')}/AD_x%2F..`)
        .set(AUTH)
        .expect(400);
      await request(server).get(dispatchesPath('r')).expect(401);
      await request(server).post(dispatchesPath('r')).set({ Authorization: 'Bearer wrong' }).send({ agentName: 'a' }).expect(401);
    });
  });

  it('answers 503 when livekit-server is not reachable, and 502 when it refuses our credentials', async () => {
    const closedPort = await freeTcpPort();
    const { app: unreachable } = await createApp('express', [
      LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: `ws://127.0.0.1:${closedPort}` }),
      LiveKitAgentDispatchModule.forRoot({ routes: true, adminToken: ADMIN_TOKEN }),
    ]);
    const { app: refused } = await createApp('express', [
      LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: 'a-wrong-secret-0123456789abcdef0123456789', url: livekit.url }),
      LiveKitAgentDispatchModule.forRoot({ routes: true, adminToken: ADMIN_TOKEN }),
    ]);
    try {
      const down = await request(unreachable.getHttpServer()).post(dispatchesPath('r')).set(AUTH).send({ agentName: 'a' });
      expect([down.status, down.body]).toEqual([503, { errorMessage: 'LiveKit server unavailable: not reachable' }]);
      const wrong = await request(refused.getHttpServer()).get(dispatchesPath('r')).set(AUTH);
      expect(wrong.status).toBe(502);
      expect((wrong.body as { errorMessage: string }).errorMessage).toMatch(/^LiveKit server refused our API credentials/);
      expect(JSON.stringify(wrong.body)).not.toContain('eyJ');
    } finally {
      await unreachable.close();
      await refused.close();
    }
  });

  it('the standalone server serves the endpoints with ADMIN_API_ENABLED=true, and not without', async () => {
    const env = { LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET, LIVEKIT_URL: livekit.url };
    const enabled = await spawnStandalone({ ...env, ADMIN_API_ENABLED: 'true', ADMIN_API_TOKEN: ADMIN_TOKEN });
    const disabled = await spawnStandalone(env);
    try {
      await Promise.all([waitUntilListening(enabled, 60_000), waitUntilListening(disabled, 60_000)]);
      const room = unique('standalone');
      const base = `http://127.0.0.1:${enabled.port}${dispatchesPath(room)}`;
      expect((await fetch(base)).status).toBe(401);
      const created = await fetch(base, {
        method: 'POST',
        headers: { ...AUTH, 'Content-Type': 'application/json' },
        body: JSON.stringify({ agentName: 'standalone-agent' }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const listed = (await (await fetch(base, { headers: AUTH })).json()) as { dispatches: { id: string }[] };
      expect(listed.dispatches.map((d) => d.id)).toContain(id);
      const off = await fetch(`http://127.0.0.1:${disabled.port}${dispatchesPath(room)}`, { headers: AUTH });
      expect(off.status).toBe(404);
    } finally {
      await Promise.all([enabled.stop(), disabled.stop()]);
    }
  }, 90_000);

  describe('a real agent on @livekit/agents', () => {
    let app: INestApplication;
    let rooms: LiveKitRoomService;
    let worker: AgentWorker | undefined;
    let state: ChangeLog;

    beforeAll(async () => {
      // This app also keeps the room state, fed only by livekit-server's webhooks (no reconcile).
      ({ app } = await createApp('express', [
        LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: livekit.url }),
        LiveKitTokenModule.forRoot(),
        LiveKitRoomModule.forRoot(),
        LiveKitAgentDispatchModule.forRoot({ routes: true, adminToken: ADMIN_TOKEN }),
        LiveKitWebhookModule.forRoot(),
        LiveKitRoomStateModule.forRoot({ reconcileIntervalMs: 0, reconcileOnStart: false }),
      ]));
      await app.listen(agentAppPort, '127.0.0.1');
      state = new ChangeLog(app.get(LiveKitRoomStateService));
      rooms = app.get(LiveKitRoomService);
      worker = await startAgentWorker({ url: livekit.url, apiKey: API_KEY, apiSecret: API_SECRET }, AGENT_NAME);
    }, 120_000);
    afterAll(async () => {
      state?.close();
      await worker?.stop();
      await app?.close();
    }, 60_000);

    /** Waits for the agent participant of `room` that received the job carrying `metadata`. */
    const agentJoined = (room: string, metadata: string) =>
      eventually(
        () => rooms.listParticipants(room).catch(() => [] as ParticipantInfo[]),
        (list) => agentsOf(list).some((p) => p.attributes['fixture.job-metadata'] === metadata),
        `the agent in ${room} with job metadata ${metadata}`,
        AGENT_WAIT_MS,
      ).then((list) => agentsOf(list)[0]!);

    it('joins a room as kind AGENT on an explicit dispatch, and leaves when the dispatch is deleted', async () => {
      const room = unique('agent-room');
      const created = await request(app.getHttpServer())
        .post(dispatchesPath(room))
        .set(AUTH)
        .send({ agentName: AGENT_NAME, metadata: 'explicit-job' })
        .expect(201);
      const dispatchId = (created.body as { id: string }).id;

      const agent = await agentJoined(room, 'explicit-job');
      expect(kindOf(agent)).toBe('AGENT');
      expect(agent.identity).toMatch(/^agent-AJ_/);
      expect(agent.attributes).toMatchObject({ 'lk.agent.name': AGENT_NAME, 'fixture.job-id': expect.stringMatching(/^AJ_/) });
      expect(agent.permission?.agent).toBe(true);
      // our room state saw it join from the webhook, as kind AGENT with its attributes
      const seen = await state.next(
        0,
        (c) => c.room === room && c.type === 'participant_joined' && c.participant?.kind === 'AGENT',
        'the agent in the room state',
      );
      expect(seen).toMatchObject({ reconciled: false, participant: { identity: agent.identity, sid: agent.sid } });
      const inState = (await app.get(LiveKitRoomStateService).participants(room)).find((p) => p.identity === agent.identity);
      expect(inState).toMatchObject({ kind: 'AGENT', attributes: expect.objectContaining({ 'lk.agent.name': AGENT_NAME }) });
      const stateFrom = state.mark();

      await request(app.getHttpServer())
        .delete(`${dispatchesPath(room)}/${dispatchId}`)
        .set(AUTH)
        .expect(204);
      await eventually(
        () => rooms.listParticipants(room).catch(() => [] as ParticipantInfo[]),
        (list) => agentsOf(list).length === 0,
        `the agent to leave ${room}`,
        AGENT_WAIT_MS,
      );
      await state.next(
        stateFrom,
        (c) => c.room === room && c.type === 'participant_left' && c.participant?.sid === agent.sid,
        'the agent leaving the room state',
      );
    });

    it('joins the room of a participant whose token names it in room_config.agents', async () => {
      const room = unique('agent-token-room');
      await joinWithToken(app, {
        room_name: room,
        participant_identity: 'customer',
        room_config: { agents: [{ agent_name: AGENT_NAME, metadata: 'token-job' }] },
      });
      const agent = await agentJoined(room, 'token-job');
      expect(kindOf(agent)).toBe('AGENT');
      const participants = await rooms.listParticipants(room);
      expect(participants.map((p) => p.identity).sort()).toEqual(['customer', agent.identity].sort());
      const [dispatch] = await app
        .get(LiveKitAgentDispatchService)
        .listDispatches(room)
        .then((list) => list.filter((d) => d.agentName === AGENT_NAME));
      expect(dispatch).toMatchObject({ agentName: AGENT_NAME, metadata: 'token-job' });
    });
  });
});
