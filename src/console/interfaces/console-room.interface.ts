/** A published track as the Rooms page shows it. */
export interface LiveKitConsoleTrack {
  sid: string;
  name: string;
  /** `AUDIO`, `VIDEO` or `DATA`. */
  type: string;
  /** `MICROPHONE`, `CAMERA`, `SCREEN_SHARE`… */
  source: string;
  muted: boolean;
}

/** A participant as the Rooms page shows it. */
export interface LiveKitConsoleParticipant {
  sid: string;
  identity: string;
  name: string;
  /** `JOINING`, `JOINED`, `ACTIVE`, `DISCONNECTED`. */
  state: string;
  /** `STANDARD`, `AGENT`, `INGRESS`, `EGRESS`, `SIP`. */
  kind: string;
  agent: boolean;
  joinedAt?: string;
  /** Its `canPublish` permission, when the source knows it (RoomService does; the room state does not). */
  canPublish?: boolean;
  /** Whether it publishes at least one unmuted track. */
  publishing: boolean;
  tracks: LiveKitConsoleTrack[];
}

/** A room as the Rooms page shows it. */
export interface LiveKitConsoleRoom {
  sid: string;
  name: string;
  numParticipants: number;
  createdAt?: string;
  participants: LiveKitConsoleParticipant[];
}
