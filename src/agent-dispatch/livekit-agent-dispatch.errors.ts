import { NotFoundException } from '@nestjs/common';

/** 404: the room exists, but has no agent dispatch with this id. */
export class LiveKitAgentDispatchNotFoundException extends NotFoundException {
  constructor(
    readonly room: string,
    readonly dispatchId: string,
  ) {
    super(`room ${JSON.stringify(room)} has no agent dispatch ${JSON.stringify(dispatchId)}`);
  }
}
