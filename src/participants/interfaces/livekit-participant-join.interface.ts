import type { VideoGrant } from 'livekit-server-sdk';

/** Who joins which room, with what permissions. */
export interface LiveKitParticipantJoinOptions {
  /** The room to join; livekit-server creates it if it allows `room.auto_create`. */
  room: string;
  /** The participant's identity, unique in the room: a second join with it replaces the first. */
  identity: string;
  /** Display name. */
  name?: string;
  metadata?: string;
  attributes?: Record<string, string>;
  /**
   * Grants of the token it joins with (`room` and `roomJoin` are set from `room`).
   * @default LiveKitModule's `defaultGrants`
   */
  grants?: Omit<VideoGrant, 'room' | 'roomJoin'>;
  /**
   * Subscribe to every track published in the room, so that `tracks$` emits them.
   * @default true
   */
  autoSubscribe?: boolean;
}

/** How a data message is sent. */
export interface LiveKitPublishDataOptions {
  /**
   * Reliable (ordered, retransmitted) or lossy delivery.
   * @default true
   */
  reliable?: boolean;
  /** Topic the receivers see with the message. */
  topic?: string;
  /**
   * Identities to deliver to.
   * @default everyone in the room
   */
  destinationIdentities?: string[];
}

/** An audio track to publish: raw PCM (16-bit signed) pushed frame by frame. */
export interface LiveKitPublishAudioOptions {
  /** @default 'audio' */
  name?: string;
  /** @default 48000 */
  sampleRate?: number;
  /** @default 1 */
  channels?: number;
  /**
   * What the track is to other participants.
   * @default 'microphone'
   */
  source?: 'microphone' | 'screen_share_audio' | 'unknown';
}
