import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { LiveKitModule, LiveKitWebhookModule } from '../src';
import { applyLiveKitOpenApi, LIVEKIT_ADMIN_OPENAPI_SECURITY } from '../src/openapi';
import { type LiveKitRoomChange, LiveKitRoomStateModule } from '../src/room-state';
import { liveKitTestOptions, liveKitWebhookEvent, signLiveKitWebhook } from '../src/testing';
import type { HttpAdapterName } from '../src/server/config/server.config';
import { createApp } from './support/create-app';
import { freeTcpPort } from './support/spawn-server';

const ADMIN = 'sse-e2e-admin-token-0123456789abcdef0123456';
const AUTH = { Authorization: `Bearer ${ADMIN}` };

/** An open SSE response, read as text as it arrives. */
class EventStream {
  text = '';
  done = false;
  private readonly reading: Promise<void>;

  constructor(readonly response: Response) {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    this.reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
        if (done) break;
        this.text += decoder.decode(value, { stream: true });
      }
      this.done = true;
    })();
  }

  /** The `data` of every `change` event so far. */
  changes(): LiveKitRoomChange[] {
    return [...this.text.matchAll(/event: change\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!) as LiveKitRoomChange);
  }

  async until(ok: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stream so far: ${JSON.stringify(this.text.slice(-2000))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  ended(): Promise<void> {
    return this.reading;
  }
}

describe.each<HttpAdapterName>(['express', 'fastify'])('room state routes and change stream on %s', (adapter) => {
  let app: INestApplication;
  let base: string;
  const streams: EventStream[] = [];

  const open = async (query = ''): Promise<EventStream> => {
    const stream = new EventStream(await fetch(`${base}/rooms-state/changes${query}`, { headers: AUTH }));
    streams.push(stream);
    return stream;
  };
  const post = async (type: string, fields: Record<string, unknown> = {}) => {
    const signed = await signLiveKitWebhook(liveKitWebhookEvent(type, fields));
    const res = await fetch(`${base}/webhook`, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    // LiveKit is never reached here: the schedule is off, and an on-demand reconcile meets a closed port.
    const closedPort = await freeTcpPort();
    ({ app } = await createApp(adapter, [
      LiveKitModule.forRoot(liveKitTestOptions({ url: `ws://127.0.0.1:${closedPort}` })),
      LiveKitWebhookModule.forRoot(),
      LiveKitRoomStateModule.forRoot({
        routes: true,
        adminToken: ADMIN,
        reconcileIntervalMs: 0,
        reconcileOnStart: false,
        reconcileRequestTimeoutMs: 2_000,
        sseHeartbeatMs: 200,
        sseMaxClients: 3,
      }),
    ]));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    for (const stream of streams) await stream.response.body?.cancel().catch(() => undefined);
  });

  it('refuses the routes and the stream without the admin token (401, WWW-Authenticate)', async () => {
    for (const path of ['/rooms-state', '/rooms-state/changes', '/rooms-state/x']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(await res.json()).toEqual({ errorMessage: expect.stringContaining('admin token') });
    }
    const wrong = await fetch(`${base}/rooms-state/changes`, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const reconcile = await fetch(`${base}/rooms-state/reconcile`, { method: 'POST' });
    expect(reconcile.status).toBe(401);
  });

  it('streams a snapshot, then each change; a room filter keeps other rooms out; heartbeats keep it alive', async () => {
    await post('room_started', { room: { sid: 'RM_sse', name: 'sse-room', creationTime: String(Math.floor(Date.now() / 1000)) } });
    const all = await open('?snapshot=true');
    expect(all.response.status).toBe(200);
    expect(all.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await all.until(() => all.text.includes('event: snapshot'), 'the snapshot');
    expect(all.text.startsWith('retry: 3000\n\n')).toBe(true);
    const snapshot = JSON.parse(/event: snapshot\ndata: (.*)\n\n/.exec(all.text)![1]!) as { rooms: { name: string }[] };
    expect(snapshot.rooms.map((r) => r.name)).toEqual(['sse-room']);
    const other = await open('?room=another-room');

    await post('participant_joined', {
      room: { sid: 'RM_sse', name: 'sse-room' },
      participant: { sid: 'PA_sse', identity: 'alice', state: 'ACTIVE', kind: 'AGENT', joinedAtMs: String(Date.now()), version: 2 },
    });
    await all.until(() => all.changes().length >= 1, 'the change');
    expect(all.changes()[0]).toMatchObject({
      type: 'participant_joined',
      room: 'sse-room',
      roomSid: 'RM_sse',
      reconciled: false,
      cause: 'participant_joined',
      participant: { identity: 'alice', sid: 'PA_sse', kind: 'AGENT' },
    });
    expect(all.text).toMatch(/id: 1\nevent: change\n/);
    await all.until(() => all.text.includes(': heartbeat\n\n'), 'a heartbeat');
    await other.until(() => other.text.includes(': heartbeat\n\n'), 'a heartbeat on the filtered stream');
    expect(other.changes()).toEqual([]);

    // the REST view of the same state
    const list = (await (await fetch(`${base}/rooms-state`, { headers: AUTH })).json()) as { rooms: { participants: unknown[] }[] };
    expect(list.rooms[0]?.participants).toEqual([expect.objectContaining({ identity: 'alice', kind: 'AGENT', tracks: [] })]);
    const one = await fetch(`${base}/rooms-state/sse-room`, { headers: AUTH });
    expect(one.status).toBe(200);
    const missing = await fetch(`${base}/rooms-state/no-such-room`, { headers: AUTH });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errorMessage: expect.stringContaining('no-such-room') });
  });

  it('answers 503 for one stream more than sseMaxClients, and for a reconcile that cannot reach LiveKit', async () => {
    await open(); // the third
    const refused = await fetch(`${base}/rooms-state/changes`, { headers: AUTH });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ errorMessage: expect.stringContaining('sseMaxClients') });
    const reconcile = await fetch(`${base}/rooms-state/reconcile`, { method: 'POST', headers: AUTH });
    expect(reconcile.status).toBe(503);
    const twice = await fetch(`${base}/rooms-state/changes?room=a&room=b`, { headers: AUTH });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toEqual({ errorMessage: 'room must be given once' });
    expect(await reconcile.json()).toEqual({ errorMessage: expect.stringContaining('LiveKit server unavailable') });
  });

  it('is described in the OpenAPI document, behind the admin bearer scheme', () => {
    applyLiveKitOpenApi(app);
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    expect(
      Object.keys(document.paths)
        .filter((path) => path.startsWith('/rooms-state'))
        .sort(),
    ).toEqual(['/rooms-state', '/rooms-state/changes', '/rooms-state/reconcile', '/rooms-state/{room}']);
    expect(document.paths['/rooms-state/changes']?.get).toMatchObject({
      operationId: 'roomStateChanges',
      tags: ['room-state'],
      security: [{ [LIVEKIT_ADMIN_OPENAPI_SECURITY]: [] }],
    });
  });

  it('ends every open stream when the application shuts down', async () => {
    expect(streams.filter((s) => !s.done)).toHaveLength(3);
    const started = Date.now();
    await app.close();
    await Promise.all(streams.map((s) => s.ended()));
    expect(streams.every((s) => s.done)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
