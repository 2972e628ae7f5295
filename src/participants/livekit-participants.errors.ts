import { ServiceUnavailableException } from '@nestjs/common';

/** 503: this process already holds `maxConnections` room connections; retry once one has left. */
export class LiveKitParticipantLimitException extends ServiceUnavailableException {
  constructor(readonly maxConnections: number) {
    super(
      `refused to join: already ${maxConnections} room connections (maxConnections). ` +
        'Fix: leave a connection first, or raise maxConnections in LiveKitParticipantsModule',
    );
  }
}

/** 503: the join failed (livekit-server refused the token, was not reachable, or did not answer in time). */
export class LiveKitParticipantJoinException extends ServiceUnavailableException {
  constructor(
    readonly room: string,
    readonly identity: string,
    reason: string,
  ) {
    super(`${JSON.stringify(identity)} could not join room ${JSON.stringify(room)}: ${reason}`);
  }
}

/** The module is shutting down (or its connection has left): no new join, no more publishing. */
export class LiveKitParticipantClosedException extends ServiceUnavailableException {
  constructor(what: string) {
    super(`${what}: the participant connection is closed`);
  }
}
