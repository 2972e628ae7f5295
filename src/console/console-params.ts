import { BadRequestException } from '@nestjs/common';
import { MAX_ROOM_NAME_LENGTH } from '../room/livekit-room.constants';

/** A path parameter naming a room, an identity or an event: non-empty, at most 256 characters. */
export function parseConsoleName(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_ROOM_NAME_LENGTH) {
    throw new BadRequestException(`${name} must be 1 to ${MAX_ROOM_NAME_LENGTH} characters`);
  }
  return value;
}
