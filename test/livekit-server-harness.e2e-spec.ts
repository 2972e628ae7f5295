import type { Room } from '@livekit/rtc-node';
import { AccessToken, RoomServiceClient, WebhookReceiver } from 'livekit-server-sdk';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { LOOPBACK } from './support/free-port';
import { describeWithLiveKitServer, type LiveKitServer, startLiveKitServer } from './support/livekit-server';
import { disposeRtc, joinFailure, joinRoom, leave, publishAudioTrack } from './support/rtc-participant';
import { waitFor } from './support/spawn-server';

/**
 * Smoke test of the harness itself: the real livekit-server starts, the server SDK and a real WebRTC
 * participant talk to it, and its webhooks arrive signed. With RECORD_LIVEKIT_FIXTURES=1 it also saves
 * the exact bytes of real webhooks to test/fixtures/livekit-webhooks/ for the guard's unit tests.
 */

const KEY = 'devkey';
const SECRET = 'devsecret-harness-0123456789abcdef012345'; // 40 characters
const FIXTURE_KEY = 'fixturekey';
const FIXTURE_SECRET = 'fixture-secret-0123456789abcdef0123456789';
const FIXTURE_DIR = join(__dirname, 'fixtures', 'livekit-webhooks');
const RECORDED_EVENTS = [
  'room_started',
  'participant_joined',
  'track_published',
  'track_unpublished',
  'participant_left',
  'room_finished',
] as const;

async function token(identity: string, room: string, key = KEY, secret = SECRET): Promise<string> {
  const at = new AccessToken(key, secret, { identity, ttl: '10m' });
  at.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true });
  return at.toJwt();
}

interface CapturedWebhook {
  /** When it arrived (ms since the epoch): its token expires 5 minutes after it was signed. */
  capturedAt: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  event: string;
  roomName: string | undefined;
}

/** A plain node:http endpoint on 127.0.0.1 that keeps every POST's exact bytes and headers. */
async function startWebhookSink(): Promise<{ url: string; received: CapturedWebhook[]; close(): Promise<void> }> {
  const received: CapturedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let parsed: { event?: string; room?: { name?: string } } = {};
      try {
        parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
      } catch {
        // kept with an empty event name; the assertions will show it
      }
      if (req.method === 'POST')
        received.push({ capturedAt: Date.now(), headers: req.headers, body, event: parsed.event ?? '', roomName: parsed.room?.name });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the webhook sink has no address');
  return {
    url: `http://${LOOPBACK}:${address.port}/webhooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeWithLiveKitServer('LiveKit Server harness', () => {
  const joined: Room[] = [];

  afterAll(async () => {
    for (const room of joined) await leave(room).catch(() => undefined);
    await disposeRtc();
  }, 30_000);

  describe('rooms, participants and tokens', () => {
    let server: LiveKitServer;
    let rooms: RoomServiceClient;

    beforeAll(async () => {
      // No auto-create: a token only opens rooms that were created through the API.
      server = await startLiveKitServer({ keys: { [KEY]: SECRET }, autoCreateRooms: false });
      rooms = new RoomServiceClient(server.httpUrl, KEY, SECRET);
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
    }, 30_000);

    it('serves the API on 127.0.0.1 with the configured key', async () => {
      expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
      const created = await rooms.createRoom({ name: 'room-b', emptyTimeout: 60 });
      expect(created.sid).toMatch(/^RM_/);
      expect((await rooms.listRooms()).map((r) => r.name)).toContain('room-b');
      await expect(new RoomServiceClient(server.httpUrl, KEY, 'x'.repeat(40)).listRooms()).rejects.toThrow();
    }, 20_000);

    it('a participant with an SDK token joins, publishes audio, and the server lists it with one track', async () => {
      const room = await joinRoom(server.url, await token('alice', 'room-b'));
      joined.push(room);
      expect(room.name).toBe('room-b');
      const trackSid = await publishAudioTrack(room);

      await waitFor(
        async () => {
          const participants = await rooms.listParticipants('room-b');
          return participants.length === 1 && participants[0]?.tracks.length === 1;
        },
        10_000,
        'alice with one track in listParticipants',
      );
      const [alice] = await rooms.listParticipants('room-b');
      expect(alice?.identity).toBe('alice');
      expect(alice?.tracks.map((t) => t.sid)).toEqual([trackSid]);
    }, 40_000);

    it('refuses a token for another room, and a token for room B signed with a different secret', async () => {
      await rooms.createRoom({ name: 'room-b', emptyTimeout: 60 }); // idempotent: this test also runs alone
      // The room comes from the token's grant, so a token for room A can only ever open room A, which does not exist.
      const otherRoom = await joinFailure(server.url, await token('mallory', 'room-a'));
      expect(otherRoom.message).toMatch(/404 Not Found - requested room does not exist/);
      const forged = await joinFailure(server.url, await token('mallory', 'room-b', KEY, 'forged-secret-0123456789abcdef0123456789'));
      expect(forged.message).toMatch(/401 Unauthorized - invalid token/);
      expect((await rooms.listParticipants('room-b')).map((p) => p.identity)).not.toContain('mallory');
      expect((await rooms.listRooms()).map((r) => r.name)).not.toContain('room-a');
    }, 40_000);
  });

  describe('webhooks', () => {
    let server: LiveKitServer;
    let sink: Awaited<ReturnType<typeof startWebhookSink>>;
    let rooms: RoomServiceClient;

    beforeAll(async () => {
      sink = await startWebhookSink();
      server = await startLiveKitServer({ keys: { [FIXTURE_KEY]: FIXTURE_SECRET }, webhookUrls: [sink.url] });
      rooms = new RoomServiceClient(server.httpUrl, FIXTURE_KEY, FIXTURE_SECRET);
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      await sink?.close();
    }, 30_000);

    const arrival = async (event: string, room: string): Promise<CapturedWebhook> => {
      const find = () => sink.received.find((w) => w.event === event && w.roomName === room);
      await waitFor(() => find() !== undefined, 15_000, `the ${event} webhook for ${room}`);
      return find()!;
    };

    it('delivers signed room_started, participant and track events for a real session', async () => {
      await rooms.createRoom({ name: 'hooked-room', emptyTimeout: 60 });
      const started = await arrival('room_started', 'hooked-room');
      expect(started.headers['content-type']).toBe('application/webhook+json');
      expect(started.headers.authorization).toEqual(expect.any(String));

      const room = await joinRoom(server.url, await token('bob', 'hooked-room', FIXTURE_KEY, FIXTURE_SECRET));
      joined.push(room);
      await arrival('participant_joined', 'hooked-room');
      await publishAudioTrack(room);
      await arrival('track_published', 'hooked-room');
      await leave(room);
      await arrival('track_unpublished', 'hooked-room');
      await arrival('participant_left', 'hooked-room');
      await rooms.deleteRoom('hooked-room');
      await arrival('room_finished', 'hooked-room');

      // The captured bytes verify with the official receiver: nothing was re-encoded on the way.
      const receiver = new WebhookReceiver(FIXTURE_KEY, FIXTURE_SECRET);
      for (const webhook of sink.received) {
        expect(webhook.headers['content-type']).toBe('application/webhook+json');
        const verified = await receiver.receive(webhook.body.toString('utf8'), webhook.headers.authorization);
        expect(verified.event).toBe(webhook.event);
      }

      if (process.env.RECORD_LIVEKIT_FIXTURES === '1') recordFixtures(sink.received.filter((w) => w.roomName === 'hooked-room'));
    }, 60_000);
  });
});

/** Writes the first captured webhook of each recorded event type, exactly as received (all headers, body bytes in base64). */
function recordFixtures(webhooks: CapturedWebhook[]): void {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  for (const event of RECORDED_EVENTS) {
    const webhook = webhooks.find((w) => w.event === event);
    if (!webhook) throw new Error(`no ${event} webhook was captured`);
    const fixture = {
      headers: webhook.headers,
      bodyBase64: webhook.body.toString('base64'),
      apiKey: FIXTURE_KEY,
      apiSecret: FIXTURE_SECRET,
      capturedAt: webhook.capturedAt,
    };
    writeFileSync(join(FIXTURE_DIR, `${event}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  }
}
