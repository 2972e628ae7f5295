/** Which built-in endpoint a token request came through. */
export type LiveKitTokenEndpoint = 'openvidu' | 'standard' | 'direct';

/** A token request, normalized from either endpoint's body. Every field is what the caller asked for, not yet allowed. */
export interface LiveKitTokenRequest {
  endpoint: LiveKitTokenEndpoint;
  roomName?: string;
  participantIdentity?: string;
  participantName?: string;
  participantMetadata?: string;
  participantAttributes?: Record<string, string>;
  /** `room_config` of the standard endpoint, as JSON (snake_case or camelCase protobuf JSON). */
  roomConfig?: Record<string, unknown>;
}
