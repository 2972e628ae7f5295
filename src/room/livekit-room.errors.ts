import { BadGatewayException, HttpException, NotFoundException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';

/** 404: the room does not exist on livekit-server (it was never created, or it ended). */
export class LiveKitRoomNotFoundException extends NotFoundException {
  constructor(readonly room: string) {
    super(`room ${JSON.stringify(room)} does not exist`);
  }
}

/** 404: the room exists, but no participant with this identity is in it. */
export class LiveKitParticipantNotFoundException extends NotFoundException {
  constructor(
    readonly room: string,
    readonly identity: string,
  ) {
    super(`participant ${JSON.stringify(identity)} is not in room ${JSON.stringify(room)}`);
  }
}

/** 404: the participant is in the room, but has not published this track. */
export class LiveKitTrackNotFoundException extends NotFoundException {
  constructor(
    readonly room: string,
    readonly identity: string,
    readonly trackSid: string,
  ) {
    super(`participant ${JSON.stringify(identity)} of room ${JSON.stringify(room)} has no track ${JSON.stringify(trackSid)}`);
  }
}

/** livekit-server refused a request as invalid (its 4xx other than 401, 403 and 404): same status, its message. */
export class LiveKitRoomRequestRejectedException extends HttpException {
  constructor(
    status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(`LiveKit server refused the request: ${message}`, status);
  }
}

/** 502: livekit-server refused this server's API credentials; a configuration error, not the caller's. */
export class LiveKitServerCredentialsRejectedException extends BadGatewayException {
  constructor() {
    super(
      'LiveKit server refused our API credentials. Fix: configure the same API key and secret here ' +
        "(LIVEKIT_API_KEY/LIVEKIT_API_SECRET) and in livekit-server's `keys`",
    );
  }
}

/**
 * 503: livekit-server could not be reached, timed out, or failed (5xx). The caller may retry. The answer
 * names the kind of failure only; `detail` (livekit-server's own message, which may describe its internals)
 * is for the server log.
 */
export class LiveKitServerUnavailableException extends ServiceUnavailableException {
  constructor(
    readonly reason: string,
    readonly detail?: string,
  ) {
    super(`LiveKit server unavailable: ${reason}`);
  }
}

export type LiveKitAdminRejectionReason = 'missing_token' | 'invalid_token';

/** 401: the admin endpoints need `Authorization: Bearer <admin token>`. */
export class LiveKitAdminUnauthorizedException extends UnauthorizedException {
  constructor(readonly reason: LiveKitAdminRejectionReason) {
    super(reason === 'missing_token' ? 'admin token required: send Authorization: Bearer <token>' : 'admin token invalid');
  }
}
