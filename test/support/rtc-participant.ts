import {
  AudioFrame,
  AudioSource,
  dispose,
  LocalAudioTrack,
  Room,
  type RoomOptions,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';

/**
 * Real WebRTC participants for end-to-end tests, through @livekit/rtc-node (a native client, global state).
 * Every suite that joins a room must call {@link disposeRtc} in its `afterAll`, after the last `leave`.
 */

const STEP_TIMEOUT_MS = 15_000;
const SAMPLE_RATE = 48_000;
const CHANNELS = 1;
const SAMPLES_PER_FRAME = SAMPLE_RATE / 100; // 10 ms
const SILENT_FRAMES = 5;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const DEFAULT_ROOM_OPTIONS: RoomOptions = { autoSubscribe: false, dynacast: false };

/** Joins a room as a real WebRTC participant with the given token; the room comes from the token's grant. */
export async function joinRoom(url: string, token: string, options: Partial<RoomOptions> = {}): Promise<Room> {
  const room = new Room();
  try {
    await withTimeout(room.connect(url, token, { ...DEFAULT_ROOM_OPTIONS, ...options }), STEP_TIMEOUT_MS, `joining ${url}`);
  } catch (error) {
    await room.disconnect().catch(() => undefined);
    throw error;
  }
  return room;
}

/**
 * For negative tests: the error a join fails with (rtc-node's `ConnectError` when the server refuses).
 * Throws if the join succeeds (after leaving the room again).
 */
export async function joinFailure(url: string, token: string, options: Partial<RoomOptions> = {}): Promise<Error> {
  let room: Room;
  try {
    room = await joinRoom(url, token, options);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
  await leave(room);
  throw new Error(
    `the join was expected to fail, but ${room.localParticipant?.identity ?? 'the participant'} joined ${room.name ?? 'a room'}`,
  );
}

/**
 * Publishes a microphone track (48 kHz mono) and feeds it a few 10 ms frames of silence.
 * Returns the track sid the server assigned.
 */
export async function publishAudioTrack(room: Room, name = 'microphone'): Promise<string> {
  const participant = room.localParticipant;
  if (!participant) throw new Error('publishAudioTrack: the room is not connected');
  const source = new AudioSource(SAMPLE_RATE, CHANNELS);
  const track = LocalAudioTrack.createAudioTrack(name, source);
  const options = new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE });
  const publication = await withTimeout(participant.publishTrack(track, options), STEP_TIMEOUT_MS, `publishing "${name}"`);
  const silence = new Int16Array(SAMPLES_PER_FRAME * CHANNELS);
  for (let i = 0; i < SILENT_FRAMES; i++) {
    await withTimeout(
      source.captureFrame(new AudioFrame(silence, SAMPLE_RATE, CHANNELS, SAMPLES_PER_FRAME)),
      STEP_TIMEOUT_MS,
      'capturing audio',
    );
  }
  if (!publication.sid) throw new Error(`publishAudioTrack: "${name}" was published without a track sid`);
  return publication.sid;
}

/** Leaves the room (closing its local tracks). Safe to call on a room that already left. */
export async function leave(room: Room): Promise<void> {
  await withTimeout(room.disconnect(), STEP_TIMEOUT_MS, 'leaving the room');
}

/** Releases rtc-node's native state; call once in the `afterAll` of every suite that joined rooms. */
export async function disposeRtc(): Promise<void> {
  await withTimeout(dispose(), STEP_TIMEOUT_MS, 'disposing rtc-node');
}
