import { HttpException, type Logger } from '@nestjs/common';
import { ServerError } from 'livekit-server-sdk';
import { LiveKitAgentDispatchNotFoundException } from '../agent-dispatch/livekit-agent-dispatch.errors';
import { isFetchTimeout, isFetchTransportFailure } from '../common/fetch-failure';
import {
  LiveKitParticipantNotFoundException,
  LiveKitRoomNotFoundException,
  LiveKitRoomRequestRejectedException,
  LiveKitServerCredentialsRejectedException,
  LiveKitServerUnavailableException,
  LiveKitTrackNotFoundException,
} from './livekit-room.errors';

/** What a RoomService call was about, to name it in a "not found" error. */
export interface RoomServiceTarget {
  room: string;
  identity?: string;
  trackSid?: string;
  /** An agent dispatch id (AgentDispatchService calls). */
  dispatchId?: string;
}

/** livekit-server wraps its psrpc errors as `twirp error unknown: <message>`. */
const TWIRP_PREFIX = /^twirp error [a-z_]+: /;
const REMOTE_UNMUTE_DISABLED = /remote unmute not enabled/i;

function notFound(message: string, target: RoomServiceTarget): Error {
  const { room, identity, trackSid, dispatchId } = target;
  if (dispatchId !== undefined && /dispatch/i.test(message)) return new LiveKitAgentDispatchNotFoundException(room, dispatchId);
  if (identity !== undefined && trackSid !== undefined && /track/i.test(message)) {
    return new LiveKitTrackNotFoundException(room, identity, trackSid);
  }
  if (identity !== undefined && /participant/i.test(message)) return new LiveKitParticipantNotFoundException(room, identity);
  if (/room/i.test(message) || identity === undefined) return new LiveKitRoomNotFoundException(room);
  return new LiveKitParticipantNotFoundException(room, identity);
}

/** livekit-server refused the token we signed: an unknown API key, a wrong secret, or a missing grant. */
export function rejectsCredentials(error: ServerError): boolean {
  return error.status === 401 || error.status === 403 || error.code === 'unauthenticated' || error.code === 'permission_denied';
}

/**
 * Turns what the SDK's `RoomServiceClient` throws into our typed exceptions: LiveKit's `not_found` into
 * room, participant or track 404s, other 4xx into the same status, refused credentials into 502, and an
 * unreachable, slow or failing server into 503. Anything else (a bug) is returned unchanged.
 * livekit-server's 401 messages embed the token we sent; they are never carried over. Its 5xx messages
 * (which may describe its nodes and its Redis) stay in `detail`, for the log; its other 4xx messages
 * say what was wrong with the request, and are the caller's to read.
 */
export function mapRoomServiceError(error: unknown, target: RoomServiceTarget): unknown {
  if (error instanceof ServerError) {
    const message = error.message.replace(TWIRP_PREFIX, '');
    if (error.status === 404 || error.code === 'not_found') return notFound(message, target);
    if (rejectsCredentials(error)) return new LiveKitServerCredentialsRejectedException();
    if (error.status >= 400 && error.status < 500) {
      const fix = REMOTE_UNMUTE_DISABLED.test(message)
        ? ". Fix: set `room: { enable_remote_unmute: true }` in livekit-server's configuration"
        : '';
      return new LiveKitRoomRequestRejectedException(error.status, error.code, `${message}${fix}`);
    }
    return new LiveKitServerUnavailableException(error.code ?? `status ${error.status}`, message);
  }
  if (isFetchTimeout(error)) return new LiveKitServerUnavailableException('request timed out');
  if (isFetchTransportFailure(error)) return new LiveKitServerUnavailableException('not reachable');
  return error;
}

/**
 * Logs a mapped failure that is not the caller's (5xx) as a warning, with livekit-server's own message
 * (`detail`), which the answer leaves out.
 */
export function warnServerFailure(logger: Logger, mapped: unknown, room: string): void {
  if (mapped instanceof HttpException && mapped.getStatus() >= 500) {
    const detail = mapped instanceof LiveKitServerUnavailableException && mapped.detail ? `: ${mapped.detail}` : '';
    logger.warn(`${mapped.message}${detail} (room ${JSON.stringify(room)})`);
  }
}
