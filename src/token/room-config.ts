import { RoomConfiguration } from 'livekit-server-sdk';
import { LiveKitTokenFieldInvalidException } from './livekit-token.errors';

/** Converts `room_config` protobuf JSON into the SDK's `RoomConfiguration`; unknown or mistyped fields get 400. */
export function toRoomConfiguration(json: Record<string, unknown>): RoomConfiguration {
  try {
    return RoomConfiguration.fromJson(json as never);
  } catch (error) {
    throw new LiveKitTokenFieldInvalidException('room_config', error instanceof Error ? error.message : String(error));
  }
}
