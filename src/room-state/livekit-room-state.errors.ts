import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';

/** 404: the room state holds no live room of this name. */
export class LiveKitRoomStateNotFoundException extends NotFoundException {
  constructor(readonly room: string) {
    super(`room ${JSON.stringify(room)} is not in the room state (it is not live, or no event or reconcile has shown it yet)`);
  }
}

/** 503: as many change streams are open as `sseMaxClients` allows. */
export class LiveKitRoomStateStreamsExhaustedException extends ServiceUnavailableException {
  constructor(readonly max: number) {
    super(`all ${max} room state change streams are in use; retry later, or raise sseMaxClients (ROOM_STATE_SSE_MAX_CLIENTS)`);
  }
}
