import { AudioFrame, type AudioSource, type LocalAudioTrack, type LocalParticipant } from '@livekit/rtc-node';
import { LiveKitParticipantClosedException } from './livekit-participants.errors';

/** An audio track published by a {@link LiveKitParticipantConnection}: push PCM frames into it. */
export class LiveKitLocalAudioTrack {
  private closed = false;

  /** @internal built by `LiveKitParticipantConnection.publishAudioTrack` */
  constructor(
    /** The track sid livekit-server assigned (`TR_…`). */
    readonly sid: string,
    readonly sampleRate: number,
    readonly channels: number,
    private readonly source: AudioSource,
    private readonly track: LocalAudioTrack,
    private readonly participant: LocalParticipant,
  ) {}

  /**
   * Sends interleaved 16-bit PCM samples (any length that is a whole number of samples per channel, e.g.
   * 10 ms: `sampleRate / 100 * channels`). Resolves once rtc-node has queued them, which paces the caller
   * at real time when it pushes faster.
   */
  async pushFrame(samples: Int16Array): Promise<void> {
    if (this.closed) throw new LiveKitParticipantClosedException(`pushing audio to track ${this.sid}`);
    if (samples.length === 0 || samples.length % this.channels !== 0) {
      throw new RangeError(`pushFrame: ${samples.length} samples are not a whole number of frames of ${this.channels} channels`);
    }
    const samplesPerChannel = samples.length / this.channels;
    await this.source.captureFrame(new AudioFrame(samples, this.sampleRate, this.channels, samplesPerChannel));
  }

  /** Unpublishes the track and releases its source. Idempotent. */
  async unpublish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.participant.unpublishTrack(this.sid);
    } finally {
      await this.track.close(true).catch(() => undefined);
    }
  }

  /** @internal the connection left: the track is gone with it */
  markClosed(): void {
    this.closed = true;
  }
}
