import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  type RemoteTrack,
  type Room as RtcRoom,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { filter, firstValueFrom, timeout } from 'rxjs';
import {
  LiveKitModule,
  LiveKitRoomModule,
  LiveKitRoomService,
  LiveKitTokenModule,
  LiveKitTokenService,
  type ParticipantInfo,
} from '../src';
import {
  type LiveKitParticipantConnection,
  LiveKitParticipantClosedException,
  LiveKitParticipantJoinException,
  LiveKitParticipantLimitException,
  LiveKitParticipantsModule,
  LiveKitParticipantsService,
} from '../src/participants';
import { createApp } from './support/create-app';
import { eventually } from './support/eventually';
import { describeWithLiveKitServer, type LiveKitServer, startLiveKitServer } from './support/livekit-server';
import { disposeRtc, joinRoom, leave } from './support/rtc-participant';

const API_KEY = 'participants-e2e-key';
const API_SECRET = 'participants-e2e-secret-0123456789abcdef0123456789ab';
const SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = SAMPLE_RATE / 100; // 10 ms, mono
const WAIT_MS = 20_000;
/** Frames read from a received track before giving up on hearing the tone (5 s of audio). */
const MAX_FRAMES_READ = 500;

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

jest.setTimeout(120_000);

let livekit: LiveKitServer;
const clients: RtcRoom[] = [];

/** 10 ms of a 440 Hz tone at about a third of full scale, continuing the phase of frame `index`. */
function toneFrame(index: number): Int16Array {
  const samples = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < FRAME_SAMPLES; i++) {
    samples[i] = Math.round(10_000 * Math.sin((2 * Math.PI * 440 * (index * FRAME_SAMPLES + i)) / SAMPLE_RATE));
  }
  return samples;
}

/** Pushes tone frames with `push` until `heard` resolves (or 10 s of audio went out); returns how many were pushed. */
async function playUntil(push: (frame: Int16Array) => Promise<void>, heard: Promise<unknown>): Promise<number> {
  let done = false;
  void heard.finally(() => (done = true)).catch(() => undefined);
  let index = 0;
  for (; !done && index < 1_000; index++) await push(toneFrame(index));
  return index;
}

/** The tone's amplitude is 10,000: a decoded frame above this holds it, not codec noise or a fade-in. */
const AUDIBLE_PEAK = 1_000;

/**
 * Reads `stream` until a frame whose samples reach {@link AUDIBLE_PEAK}; resolves with that frame's peak,
 * rejects after {@link MAX_FRAMES_READ} frames.
 */
async function firstAudibleFrame(stream: AudioStream): Promise<{ peak: number; sampleRate: number; framesRead: number }> {
  let framesRead = 0;
  for await (const frame of stream) {
    framesRead++;
    const peak = frame.data.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
    // Leaving the loop cancels the stream.
    if (peak >= AUDIBLE_PEAK) return { peak, sampleRate: frame.sampleRate, framesRead };
    if (framesRead >= MAX_FRAMES_READ) break;
  }
  throw new Error(`no audible frame in the first ${framesRead} frames received`);
}

async function startApp(maxConnections = 2) {
  const { app } = await createApp('express', [
    LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: livekit.url }),
    LiveKitTokenModule.forRoot(),
    LiveKitRoomModule.forRoot(),
    LiveKitParticipantsModule.forRoot({ maxConnections }),
  ]);
  return app;
}

/** A real rtc-node client in `room`, subscribed to every track, with a token of our own token service. */
async function joinClient(app: INestApplication, room: string, identity: string): Promise<RtcRoom> {
  const token = await app.get(LiveKitTokenService).mint({
    roomName: room,
    identity,
    grants: { canPublish: true, canSubscribe: true, canPublishData: true },
  });
  const client = await joinRoom(livekit.url, token, { autoSubscribe: true });
  clients.push(client);
  return client;
}

const identities = (participants: ParticipantInfo[]) => participants.map((p) => p.identity).sort();

describeWithLiveKitServer('server-side participants (nest-livekit/participants)', () => {
  beforeAll(async () => {
    livekit = await startLiveKitServer({ keys: { [API_KEY]: API_SECRET }, emptyTimeoutSeconds: 30 });
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await leave(client).catch(() => undefined);
    await disposeRtc();
    await livekit?.stop();
  }, 60_000);

  describe('one app', () => {
    let app: INestApplication;
    let participants: LiveKitParticipantsService;
    let rooms: LiveKitRoomService;
    const room = unique('bot-room');
    let bot: LiveKitParticipantConnection;
    let client: RtcRoom;

    beforeAll(async () => {
      app = await startApp(2);
      participants = app.get(LiveKitParticipantsService);
      rooms = app.get(LiveKitRoomService);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('joins as an identity with the grants given, next to a real client', async () => {
      bot = await participants.join({
        room,
        identity: 'backend-bot',
        name: 'Backend bot',
        attributes: { role: 'assistant' },
        grants: { canPublish: true, canSubscribe: true, canPublishData: true },
      });
      expect(bot.connected).toBe(true);
      expect(participants.connectionCount).toBe(1);
      client = await joinClient(app, room, 'e2e-client');
      const listed = await eventually(
        () => rooms.listParticipants(room),
        (list) => list.length === 2,
        'the bot and the client',
      );
      expect(identities(listed)).toEqual(['backend-bot', 'e2e-client']);
      const info = listed.find((p) => p.identity === 'backend-bot')!;
      expect(info).toMatchObject({ name: 'Backend bot', attributes: { role: 'assistant' } });
      expect(info.permission).toMatchObject({ canPublish: true, canSubscribe: true, canPublishData: true });
    });

    it('exchanges data messages both ways', async () => {
      const received: { text: string; from?: string; topic?: string }[] = [];
      client.on(RoomEvent.DataReceived, (payload, from, _kind, topic) =>
        received.push({ text: Buffer.from(payload).toString('utf8'), from: from?.identity, topic }),
      );
      // The client's data channel opens shortly after its join: resend (bounded) until one arrives.
      let sent = 0;
      await eventually(
        async () => {
          sent++;
          await bot.publishData('hello from the backend', { topic: 'chat' });
          return received.length;
        },
        (count) => count > 0,
        'the client to receive the bot message',
      );
      expect(received[0]).toEqual({ text: 'hello from the backend', from: 'backend-bot', topic: 'chat' });
      expect(sent).toBeLessThan(50);

      // rtc-node names the sender only once the bot knows it.
      expect((await bot.waitForParticipant('e2e-client')).identity).toBe('e2e-client');
      const fromClient = firstValueFrom(
        bot.data$.pipe(
          filter((message) => message.from === 'e2e-client'),
          timeout(WAIT_MS),
        ),
      );
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      await client.localParticipant!.publishData(bytes, { reliable: true, topic: 'command' });
      const message = await fromClient;
      expect([...message.payload]).toEqual([...bytes]);
      expect(message).toMatchObject({ from: 'e2e-client', topic: 'command', reliable: true });
    });

    it('publishes an audio track whose frames the client hears', async () => {
      const heard = new Promise<{ peak: number; sampleRate: number; framesRead: number }>((resolve, reject) => {
        client.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _publication, participant) => {
          if (participant.identity === 'backend-bot' && track.kind === TrackKind.KIND_AUDIO) {
            firstAudibleFrame(new AudioStream(track, { sampleRate: SAMPLE_RATE, numChannels: 1 })).then(resolve, reject);
          }
        });
      });
      const track = await bot.publishAudioTrack({ name: 'bot-voice', sampleRate: SAMPLE_RATE, channels: 1 });
      expect(track.sid).toMatch(/^TR_/);
      const pushed = await playUntil((frame) => track.pushFrame(frame), heard);
      const result = await heard;
      expect(result.peak).toBeGreaterThanOrEqual(AUDIBLE_PEAK);
      expect(result.sampleRate).toBe(SAMPLE_RATE);
      expect(pushed).toBeLessThan(1_000);
      const botInfo = await rooms.getParticipant(room, 'backend-bot');
      expect(botInfo.tracks.map((t) => t.sid)).toContain(track.sid);
      await track.unpublish();
      await eventually(
        () => rooms.getParticipant(room, 'backend-bot'),
        (info) => info.tracks.length === 0,
        'the bot track to be unpublished',
      );
    });

    it("receives the client's audio track and its frames", async () => {
      const received = firstValueFrom(
        bot.tracks$.pipe(
          filter((t) => t.participantIdentity === 'e2e-client' && t.kind === 'audio'),
          timeout(WAIT_MS),
        ),
      );
      const source = new AudioSource(SAMPLE_RATE, 1);
      const local = LocalAudioTrack.createAudioTrack('client-voice', source);
      await client.localParticipant!.publishTrack(local, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
      const { track, publication } = await received;
      expect(publication.name).toBe('client-voice');
      const heard = firstAudibleFrame(bot.audioFrames(track, { sampleRate: SAMPLE_RATE, channels: 1 }));
      await playUntil((frame) => source.captureFrame(new AudioFrame(frame, SAMPLE_RATE, 1, FRAME_SAMPLES)), heard);
      expect((await heard).peak).toBeGreaterThanOrEqual(AUDIBLE_PEAK);
    });

    it('holds at most maxConnections, and frees a slot when a connection leaves or is removed', async () => {
      const second = await participants.join({ room, identity: 'backend-bot-2' });
      expect(participants.connectionCount).toBe(2);
      await expect(participants.join({ room, identity: 'backend-bot-3' })).rejects.toEqual(new LiveKitParticipantLimitException(2));

      // Removed by livekit-server (RoomService): the connection closes and gives its slot back.
      await rooms.removeParticipant(room, 'backend-bot-2');
      await expect(second.closed).resolves.not.toBe('left');
      expect(participants.connectionCount).toBe(1);
      const third = await participants.join({ room, identity: 'backend-bot-3' });
      await third.leave();
      await expect(third.closed).resolves.toBe('left');
      expect(participants.connections).toEqual([bot]);
      await expect(third.publishData('late')).rejects.toBeInstanceOf(LiveKitParticipantClosedException);
      await eventually(
        () => rooms.listParticipants(room),
        (list) => identities(list).join() === 'backend-bot,e2e-client',
        'only the bot and the client',
      );
    });

    it('closes every connection on shutdown: the server lists them gone', async () => {
      const other = unique('bot-room-2');
      const second = await participants.join({ room: other, identity: 'backend-bot' });
      await eventually(
        () => rooms.listParticipants(other),
        (list) => list.length === 1,
        'the bot in the second room',
      );
      const roomsView = app.get(LiveKitRoomService);
      await app.close();
      await expect(bot.closed).resolves.toBe('left');
      await expect(second.closed).resolves.toBe('left');
      expect(participants.connectionCount).toBe(0);
      await expect(participants.join({ room, identity: 'too-late' })).rejects.toBeInstanceOf(LiveKitParticipantClosedException);
      // The RoomService client still works after the app closed: ask livekit-server itself.
      await eventually(
        () => roomsView.listParticipants(room),
        (list) => identities(list).join() === 'e2e-client',
        'the bot to be gone from the first room',
      );
      await eventually(
        () => roomsView.listParticipants(other).catch(() => [] as ParticipantInfo[]),
        (list) => list.length === 0,
        'the bot to be gone from the second room',
      );
    });
  });

  it('fails a join with LiveKitParticipantJoinException when livekit-server refuses the token', async () => {
    const { app } = await createApp('express', [
      LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: 'a-wrong-secret-0123456789abcdef0123456789', url: livekit.url }),
      LiveKitParticipantsModule.forRoot({ connectTimeoutMs: 10_000 }),
    ]);
    try {
      const participants = app.get(LiveKitParticipantsService);
      const error = await participants.join({ room: unique('refused'), identity: 'bot' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LiveKitParticipantJoinException);
      expect(participants.connectionCount).toBe(0);
    } finally {
      await app.close();
    }
  });
});
