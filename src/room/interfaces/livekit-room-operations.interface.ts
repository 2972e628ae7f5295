import type { ParticipantPermission } from 'livekit-server-sdk';

/** Settings of a room created ahead of its first participant. */
export interface LiveKitCreateRoomOptions {
  name: string;
  /** Seconds the room stays open before anyone joins. livekit-server's default (300) when omitted. */
  emptyTimeout?: number;
  /** Seconds the room stays open after the last participant leaves. */
  departureTimeout?: number;
  /** 0 for no limit. */
  maxParticipants?: number;
  metadata?: string;
}

/** Changes to a participant; every field is optional, and fields left out keep their value. */
export interface LiveKitParticipantUpdate {
  /** Display name. */
  name?: string;
  metadata?: string;
  /** Attributes to set; other attributes are kept, and an empty string removes one. */
  attributes?: Record<string, string>;
  /** Permissions to change; those left out keep their current value (read just before the update). */
  permission?: Partial<
    Pick<
      ParticipantPermission,
      'canSubscribe' | 'canPublish' | 'canPublishData' | 'canPublishSources' | 'hidden' | 'canUpdateMetadata' | 'canSubscribeMetrics'
    >
  >;
}

/** How a data message is delivered. */
export interface LiveKitSendDataOptions {
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
