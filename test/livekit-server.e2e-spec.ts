import { Injectable, type INestApplication } from '@nestjs/common';
import type { Room } from '@livekit/rtc-node';
import { RoomServiceClient, type WebhookEvent } from 'livekit-server-sdk';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LiveKitModule } from '../src/livekit/livekit.module';
import { Hs256TokenSigner } from '../src/token/hs256-token-signer';
import { LiveKitTokenModule } from '../src/token/livekit-token.module';
import { LiveKitWebhookModule } from '../src/webhook/livekit-webhook.module';
import { LiveKitWebhookListener, OnAnyLiveKitEvent } from '../src/webhook/on-livekit-event.decorator';
import { createApp } from './support/create-app';
import { describeWithLiveKitServer, type LiveKitServer, startLiveKitServer } from './support/livekit-server';
import { disposeRtc, joinFailure, joinRoom, leave, publishAudioTrack } from './support/rtc-participant';
import { freeTcpPort, waitFor } from './support/spawn-server';
import { type CapturedRequest, startWebhookCapture } from './support/webhook-capture';

const KEY = 'lk-e2e-key';
const SECRET = 'lk-e2e-secret-0123456789abcdef0123456789';
const KEY2 = 'lk-e2e-key-2';
const SECRET2 = 'lk-e2e-secret-2-0123456789abcdef01234567';
const FIXTURE_DIR = join(__dirname, 'fixtures', 'livekit-webhooks');

@Injectable()
@LiveKitWebhookListener()
class EventRecorder {
  readonly events: WebhookEvent[] = [];

  @OnAnyLiveKitEvent()
  record(event: WebhookEvent): void {
    this.events.push(event);
  }

  async waitFor(predicate: (e: WebhookEvent) => boolean, what: string, timeoutMs = 15_000): Promise<WebhookEvent> {
    await waitFor(() => this.events.some(predicate), timeoutMs, what);
    return this.events.find(predicate)!;
  }
}

interface AppUnderTest {
  app: INestApplication;
  url: string;
  recorder: EventRecorder;
  webhookStatuses: number[];
}

/** Our app on real HTTP (livekit-server must reach it), recording handler calls and webhook statuses. */
async function startApp(port: number, livekitUrl: string, extraKeys: Record<string, string>): Promise<AppUnderTest> {
  const { app } = await createApp('express', [
    LiveKitModule.forRoot({ apiKey: KEY, apiSecret: SECRET, keys: extraKeys, url: livekitUrl }),
    LiveKitTokenModule.forRoot(),
    LiveKitWebhookModule.forRoot(),
    { module: class RecorderModule {}, providers: [EventRecorder] },
  ]);
  const webhookStatuses: number[] = [];
  (app.getHttpServer() as Server).on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/webhook') res.on('finish', () => webhookStatuses.push(res.statusCode));
  });
  await app.listen(port, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}`, recorder: app.get(EventRecorder), webhookStatuses };
}

async function postJson(url: string, body: unknown): Promise<{ status: number; json: Record<string, string> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

describeWithLiveKitServer('against the real LiveKit Server', () => {
  let ours: AppUnderTest;
  let livekit: LiveKitServer;
  let rooms: RoomServiceClient;
  let capture: Awaited<ReturnType<typeof startWebhookCapture>>;
  const joined: Room[] = [];

  beforeAll(async () => {
    capture = await startWebhookCapture();
    const port = await freeTcpPort();
    // The server signs webhooks with KEY2, the second key: our guard must pick the secret by `iss`.
    const livekitKeys = { [KEY]: SECRET, [KEY2]: SECRET2 };
    livekit = await startLiveKitServer({
      keys: livekitKeys,
      webhookKey: KEY2,
      webhookUrls: [`http://127.0.0.1:${port}/webhook`, capture.url],
    });
    ours = await startApp(port, livekit.url, { [KEY2]: SECRET2 });
    rooms = new RoomServiceClient(livekit.httpUrl, KEY, SECRET);
  }, 120_000);

  afterAll(async () => {
    for (const room of joined) await room.disconnect().catch(() => undefined);
    await disposeRtc();
    await ours?.app.close();
    await livekit?.stop();
    await capture?.close();
  }, 30_000);

  const forRoom = (type: string, room: string) => (e: WebhookEvent) => e.event === type && e.room?.name === room;

  it('room_started reaches a typed handler when a room is created through the API', async () => {
    await rooms.createRoom({ name: 'api-room', emptyTimeout: 30 });
    const event = await ours.recorder.waitFor(forRoom('room_started', 'api-room'), 'room_started');
    expect(event.room?.sid).toMatch(/^RM_/);
    expect(typeof event.createdAt).toBe('bigint');
  }, 30_000);

  it('a participant with a token from POST /token joins, publishes and leaves; deleting the room finishes it', async () => {
    const { status, json } = await postJson(`${ours.url}/token`, { roomName: 'flow-room', participantName: 'alice' });
    expect(status).toBe(200);
    const room = await joinRoom(livekit.url, json.token!);
    joined.push(room);
    const join = await ours.recorder.waitFor(
      (e) => e.event === 'participant_joined' && e.participant?.identity === 'alice',
      'participant_joined',
    );
    expect(join.room?.name).toBe('flow-room');

    const trackSid = await publishAudioTrack(room);
    const published = await ours.recorder.waitFor((e) => e.event === 'track_published' && e.track?.sid === trackSid, 'track_published');
    expect(published.participant?.identity).toBe('alice');

    await leave(room);
    await ours.recorder.waitFor((e) => e.event === 'participant_left' && e.participant?.identity === 'alice', 'participant_left');
    await rooms.deleteRoom('flow-room');
    await ours.recorder.waitFor(forRoom('room_finished', 'flow-room'), 'room_finished');
  }, 60_000);

  it('the standard endpoint hands back server_url and participant_token that the client joins with', async () => {
    const { status, json } = await postJson(`${ours.url}/livekit/token`, { room_name: 'std-room', participant_identity: 'bob' });
    expect(status).toBe(201);
    expect(json.server_url).toBe(livekit.url);
    const room = await joinRoom(json.server_url!, json.participant_token!);
    joined.push(room);
    await ours.recorder.waitFor((e) => e.event === 'participant_joined' && e.participant?.identity === 'bob', 'bob joining');
    const participants = await rooms.listParticipants('std-room');
    expect(participants.map((p) => p.identity)).toEqual(['bob']);
    await leave(room);
  }, 60_000);

  it('a token for room A joins room A only; a token re-pointed at room B is refused', async () => {
    const { json } = await postJson(`${ours.url}/token`, { roomName: 'room-a', participantName: 'carol' });
    const room = await joinRoom(livekit.url, json.token!);
    joined.push(room);
    expect(room.name).toBe('room-a');
    const [header, payload, signature] = json.token!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { video: { room: string } };
    claims.video.room = 'room-b';
    const repointed = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    await expect(joinFailure(livekit.url, repointed)).resolves.toBeInstanceOf(Error);
    expect((await rooms.listParticipants('room-a')).map((p) => p.identity)).toEqual(['carol']);
    expect(await rooms.listParticipants('room-b')).toEqual([]);
    await leave(room);
  }, 60_000);

  it('refuses an expired token and a token signed with another secret', async () => {
    const grants = { video: { roomJoin: true, room: 'guarded-room' } };
    const expired = new Hs256TokenSigner(KEY, SECRET).sign('dave', grants, 60, Date.now() - 3600_000);
    await expect(joinFailure(livekit.url, expired)).resolves.toBeInstanceOf(Error);
    const forged = new Hs256TokenSigner(KEY, 'some-other-secret-0123456789abcdef012345').sign('eve', grants, 600);
    await expect(joinFailure(livekit.url, forged)).resolves.toBeInstanceOf(Error);
    const valid = new Hs256TokenSigner(KEY, SECRET).sign('frank', grants, 600);
    const room = await joinRoom(livekit.url, valid);
    joined.push(room);
    expect((await rooms.listParticipants('guarded-room')).map((p) => p.identity)).toEqual(['frank']);
    await leave(room);
  }, 60_000);

  it('every real webhook, signed with the rotated key, passed our guard', async () => {
    await waitFor(() => capture.requests.length >= 5, 10_000, 'captured webhooks');
    expect(ours.webhookStatuses.length).toBeGreaterThan(0);
    expect(ours.webhookStatuses.every((s) => s === 200)).toBe(true);
    for (const request of capture.requests) {
      expect(request.headers['content-type']).toBe('application/webhook+json');
      expect(request.headers.authorization).not.toMatch(/^Bearer /);
      const payload = JSON.parse(Buffer.from(request.headers.authorization!.split('.')[1]!, 'base64url').toString()) as { iss: string };
      expect(payload.iss).toBe(KEY2);
    }
    if (process.env.RECORD_LIVEKIT_FIXTURES === '1') recordFixtures(capture.requests);
  }, 30_000);
});

describeWithLiveKitServer('a LiveKit Server signing with a key we do not know', () => {
  it('gets 401 for every webhook, and no handler runs', async () => {
    const stranger = { 'stranger-key': 'stranger-secret-0123456789abcdef0123456' };
    const port = await freeTcpPort();
    const livekit = await startLiveKitServer({ keys: stranger, webhookUrls: [`http://127.0.0.1:${port}/webhook`] });
    const ours = await startApp(port, livekit.url, {});
    try {
      await new RoomServiceClient(livekit.httpUrl, 'stranger-key', stranger['stranger-key']).createRoom({ name: 'unknown-key-room' });
      await waitFor(() => ours.webhookStatuses.length > 0, 15_000, 'a webhook from the stranger');
      expect(ours.webhookStatuses.every((s) => s === 401)).toBe(true);
      expect(ours.recorder.events).toEqual([]);
    } finally {
      await ours.app.close();
      await livekit.stop();
    }
  }, 60_000);
});

/** Saves the exact bytes and headers LiveKit sent, one file per event type, for the guard's unit tests. */
function recordFixtures(requests: CapturedRequest[]): void {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  for (const request of requests) {
    const event = (JSON.parse(request.body.toString()) as { event: string }).event;
    writeFileSync(
      join(FIXTURE_DIR, `${event}.json`),
      `${JSON.stringify(
        {
          capturedAt: Date.now(),
          apiKey: KEY2,
          apiSecret: SECRET2,
          headers: { 'content-type': request.headers['content-type'], authorization: request.headers.authorization },
          bodyBase64: request.body.toString('base64'),
        },
        null,
        2,
      )}\n`,
    );
  }
}
