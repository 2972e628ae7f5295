/** Injection token of {@link LiveKitTokenModuleOptions}. */
export const LIVEKIT_TOKEN_MODULE_OPTIONS = Symbol('LIVEKIT_TOKEN_MODULE_OPTIONS');

export const OPENVIDU_REQUIRED_MESSAGE = 'roomName and participantName are required';
export const MAX_NAME_LENGTH = 256;
export const MAX_METADATA_LENGTH = 16 * 1024;

/** Fields of the standard token endpoint, as sent on the wire. */
export const STANDARD_TOKEN_FIELDS = [
  'room_name',
  'participant_identity',
  'participant_name',
  'participant_metadata',
  'participant_attributes',
  'room_config',
] as const;
export type StandardTokenField = (typeof STANDARD_TOKEN_FIELDS)[number];
