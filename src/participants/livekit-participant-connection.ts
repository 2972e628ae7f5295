import {
  AudioSource,
  AudioStream,
  DataPacketKind,
  type DisconnectReason,
  LocalAudioTrack,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  type Track,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { type Observable, ReplaySubject, Subject } from 'rxjs';
import { withTimeout } from '../common/with-timeout';
import type { LiveKitPublishAudioOptions, LiveKitPublishDataOptions } from './interfaces/livekit-participant-join.interface';
import { LiveKitLocalAudioTrack } from './livekit-local-audio-track';
import { TRACK_REPLAY_BUFFER } from './livekit-participants.constants';
import { LiveKitParticipantClosedException } from './livekit-participants.errors';

/** A data message received from the room. */
export interface LiveKitReceivedData {
  payload: Uint8Array;
  /**
   * The sender's identity; undefined when livekit-server itself sent it (RoomService `sendData`), or when
   * the sender is not yet known to this connection (see `waitForParticipant`).
   */
  from?: string;
  topic?: string;
  reliable: boolean;
}

/** A remote track this participant subscribed to. */
export interface LiveKitReceivedTrack {
  track: RemoteTrack;
  publication: RemoteTrackPublication;
  /** Identity of the participant who published it. */
  participantIdentity: string;
  kind: 'audio' | 'video' | 'unknown';
}

const SOURCES: Record<NonNullable<LiveKitPublishAudioOptions['source']>, TrackSource> = {
  microphone: TrackSource.SOURCE_MICROPHONE,
  screen_share_audio: TrackSource.SOURCE_SCREENSHARE_AUDIO,
  unknown: TrackSource.SOURCE_UNKNOWN,
};

/**
 * This server, connected to a room as a participant (rtc-node's `Room`): publishes data and audio, receives
 * data (`data$`) and tracks (`tracks$`), and leaves. Obtained from `LiveKitParticipantsService.join`, which
 * closes it on module shutdown.
 */
export class LiveKitParticipantConnection {
  private readonly data = new Subject<LiveKitReceivedData>();
  private readonly tracks = new ReplaySubject<LiveKitReceivedTrack>(TRACK_REPLAY_BUFFER);
  private readonly audioTracks = new Set<LiveKitLocalAudioTrack>();
  private leaving: Promise<void> | undefined;
  private isClosed = false;
  private resolveClosed!: (reason: DisconnectReason | 'left') => void;

  /** Every data message received from now on (hot: messages before you subscribe are not replayed). */
  readonly data$: Observable<LiveKitReceivedData> = this.data.asObservable();
  /** Every remote track subscribed to (the last 64 are replayed to a late subscriber). Completes on leave. */
  readonly tracks$: Observable<LiveKitReceivedTrack> = this.tracks.asObservable();
  /**
   * Resolves once the connection is closed, with `'left'` after {@link leave} or the module's shutdown, or
   * rtc-node's `DisconnectReason` when livekit-server ended it (participant removed, room deleted…).
   */
  readonly closed: Promise<DisconnectReason | 'left'>;

  /** @internal built by `LiveKitParticipantsService.join`, before it connects `room` */
  constructor(
    /** The rtc-node room, for what this class does not wrap (RPC, text streams, video). */
    readonly room: Room,
    readonly roomName: string,
    readonly identity: string,
    private readonly onClosed: (connection: LiveKitParticipantConnection) => void,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    room
      .on(RoomEvent.DataReceived, (payload, participant, kind, topic) =>
        this.data.next({ payload, from: participant?.identity, topic, reliable: kind !== DataPacketKind.KIND_LOSSY }),
      )
      .on(RoomEvent.TrackSubscribed, (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) =>
        this.tracks.next({ track, publication, participantIdentity: participant.identity, kind: kindOf(track) }),
      )
      .on(RoomEvent.Disconnected, (reason) => this.close(this.leaving ? 'left' : reason));
  }

  /** Whether the connection is still open. */
  get connected(): boolean {
    return !this.isClosed && this.room.isConnected;
  }

  /**
   * Resolves with the remote participant once it is in the room as this connection sees it (at once when
   * it is already). rtc-node names the sender of a data message (`from`) only once it knows the sender,
   * so wait for a participant before expecting its messages with `from` set.
   * @throws LiveKitParticipantClosedException when the connection closes first, or after `timeoutMs`
   */
  async waitForParticipant(identity: string, timeoutMs = 15_000): Promise<RemoteParticipant> {
    this.assertOpen(`waiting for ${JSON.stringify(identity)}`);
    const present = this.room.remoteParticipants.get(identity);
    if (present) return present;
    let onConnected: ((participant: RemoteParticipant) => void) | undefined;
    const arrived = new Promise<RemoteParticipant>((resolve) => {
      onConnected = (participant) => {
        if (participant.identity === identity) resolve(participant);
      };
      this.room.on(RoomEvent.ParticipantConnected, onConnected);
    });
    const closed = this.closed.then(() => {
      throw new LiveKitParticipantClosedException(`waiting for ${JSON.stringify(identity)}`);
    });
    try {
      return await withTimeout(
        Promise.race([arrived, closed]),
        timeoutMs,
        () => new LiveKitParticipantClosedException(`${JSON.stringify(identity)} did not join within ${timeoutMs} ms`),
      );
    } finally {
      this.room.off(RoomEvent.ParticipantConnected, onConnected!);
    }
  }

  /** Sends text (as UTF-8) or bytes to everyone in the room, or to the given identities; reliable by default. */
  async publishData(data: Uint8Array | string, options: LiveKitPublishDataOptions = {}): Promise<void> {
    this.assertOpen('publishing data');
    const payload = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    await this.room.localParticipant!.publishData(payload, {
      reliable: options.reliable ?? true,
      topic: options.topic,
      destination_identities: options.destinationIdentities,
    });
  }

  /** Publishes an audio track to push PCM frames into (`pushFrame`). */
  async publishAudioTrack(options: LiveKitPublishAudioOptions = {}): Promise<LiveKitLocalAudioTrack> {
    this.assertOpen('publishing audio');
    const sampleRate = options.sampleRate ?? 48_000;
    const channels = options.channels ?? 1;
    const source = new AudioSource(sampleRate, channels);
    const track = LocalAudioTrack.createAudioTrack(options.name ?? 'audio', source);
    const participant = this.room.localParticipant!;
    try {
      const publication = await participant.publishTrack(
        track,
        new TrackPublishOptions({ source: SOURCES[options.source ?? 'microphone'] }),
      );
      if (!publication.sid) throw new Error('livekit-server assigned no track sid');
      const published = new LiveKitLocalAudioTrack(publication.sid, sampleRate, channels, source, track, participant);
      this.audioTracks.add(published);
      return published;
    } catch (error) {
      await track.close(true).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The frames of a received audio track, as an async iterable (rtc-node's `AudioStream`), resampled to
   * `sampleRate` and `channels` when given. Break out of the loop (or `cancel()`) to stop reading.
   */
  audioFrames(track: Track, options: { sampleRate?: number; channels?: number } = {}): AudioStream {
    return new AudioStream(track, { sampleRate: options.sampleRate, numChannels: options.channels });
  }

  /** Leaves the room, unpublishing this participant's tracks. Idempotent. */
  leave(): Promise<void> {
    this.leaving ??= (async () => {
      try {
        await this.room.disconnect(); // a no-op once rtc-node is disconnected
      } finally {
        this.close('left');
      }
    })();
    return this.leaving;
  }

  private close(reason: DisconnectReason | 'left'): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const track of this.audioTracks) track.markClosed();
    this.data.complete();
    this.tracks.complete();
    this.resolveClosed(reason);
    this.onClosed(this);
  }

  private assertOpen(what: string): void {
    if (!this.connected) throw new LiveKitParticipantClosedException(what);
  }
}

function kindOf(track: Track): LiveKitReceivedTrack['kind'] {
  if (track.kind === TrackKind.KIND_AUDIO) return 'audio';
  if (track.kind === TrackKind.KIND_VIDEO) return 'video';
  return 'unknown';
}
