import type { RoomConfiguration, VideoGrant } from 'livekit-server-sdk';

/** What a policy grants: the exact contents of the token to mint. */
export interface LiveKitTokenDecision {
  identity: string;
  roomName: string;
  name?: string;
  metadata?: string;
  attributes?: Record<string, string>;
  /** Grants besides `roomJoin` and `room`, which are always set from `roomName`. */
  grants: Omit<VideoGrant, 'room' | 'roomJoin'>;
  /** Token lifetime in seconds; the module's `tokenTtl` when omitted. */
  ttlSeconds?: number;
  roomConfig?: RoomConfiguration;
}
