import { ServerError } from 'livekit-server-sdk';
import { LiveKitAgentDispatchNotFoundException } from '../agent-dispatch/livekit-agent-dispatch.errors';
import {
  LiveKitParticipantNotFoundException,
  LiveKitRoomNotFoundException,
  LiveKitRoomRequestRejectedException,
  LiveKitServerCredentialsRejectedException,
  LiveKitServerUnavailableException,
  LiveKitTrackNotFoundException,
} from './livekit-room.errors';
import { mapRoomServiceError } from './room-service-error.mapper';

// Errors as livekit-server 1.13 answers them, through the SDK's TwirpRpc.
const roomMissing = new ServerError('Not Found', 'twirp error unknown: requested room does not exist', 404, 'not_found');
const participantMissing = new ServerError('Not Found', 'twirp error unknown: participant does not exist', 404, 'not_found');
const trackMissing = new ServerError('Not Found', 'twirp error unknown: track is not found', 404, 'not_found');

describe('mapRoomServiceError', () => {
  it.each([
    ['room', roomMissing, { room: 'r' }, LiveKitRoomNotFoundException, 'room "r" does not exist'],
    ['room, on a participant call', roomMissing, { room: 'r', identity: 'a' }, LiveKitRoomNotFoundException, 'room "r" does not exist'],
    [
      'participant',
      participantMissing,
      { room: 'r', identity: 'a' },
      LiveKitParticipantNotFoundException,
      'participant "a" is not in room "r"',
    ],
    [
      'track',
      trackMissing,
      { room: 'r', identity: 'a', trackSid: 'TR_1' },
      LiveKitTrackNotFoundException,
      'participant "a" of room "r" has no track "TR_1"',
    ],
    [
      'unknown wording, room call',
      new ServerError('Not Found', 'gone', 404, 'not_found'),
      { room: 'r' },
      LiveKitRoomNotFoundException,
      'room "r"',
    ],
    [
      'agent dispatch',
      new ServerError('Not Found', 'twirp error unknown: dispatch ID not found', 404, 'not_found'),
      { room: 'r', dispatchId: 'AD_1' },
      LiveKitAgentDispatchNotFoundException,
      'room "r" has no agent dispatch "AD_1"',
    ],
    ['room, on a dispatch call', roomMissing, { room: 'r', dispatchId: 'AD_1' }, LiveKitRoomNotFoundException, 'room "r" does not exist'],
    [
      'unknown wording, participant call',
      new ServerError('Not Found', 'gone', 404),
      { room: 'r', identity: 'a' },
      LiveKitParticipantNotFoundException,
      '"a"',
    ],
  ])('maps not_found to a typed 404: %s', (_, error, target, type, message) => {
    const mapped = mapRoomServiceError(error, target);
    expect(mapped).toBeInstanceOf(type);
    expect((mapped as LiveKitRoomNotFoundException).getStatus()).toBe(404);
    expect((mapped as Error).message).toContain(message);
  });

  it('keeps the status and message of other 4xx, without the twirp prefix, with a fix for remote unmute', () => {
    const mapped = mapRoomServiceError(
      new ServerError('Precondition Failed', 'twirp error unknown: remote unmute not enabled', 412, 'failed_precondition'),
      { room: 'r', identity: 'a', trackSid: 'TR_1' },
    );
    expect(mapped).toBeInstanceOf(LiveKitRoomRequestRejectedException);
    expect((mapped as LiveKitRoomRequestRejectedException).getStatus()).toBe(412);
    expect((mapped as Error).message).toBe(
      "LiveKit server refused the request: remote unmute not enabled. Fix: set `room: { enable_remote_unmute: true }` in livekit-server's configuration",
    );
    const invalid = mapRoomServiceError(new ServerError('Bad Request', 'bad name', 400, 'invalid_argument'), { room: 'r' });
    expect((invalid as LiveKitRoomRequestRejectedException).getStatus()).toBe(400);
    expect((invalid as LiveKitRoomRequestRejectedException).code).toBe('invalid_argument');
  });

  it('answers 502 for refused credentials, never echoing livekit-server message (it holds our token)', () => {
    const leaked = 'invalid token: eyJhbGciOiJIUzI1NiJ9.payload.sig, error: token signature is invalid';
    for (const error of [new ServerError('Unauthorized', leaked, 401), new ServerError('Forbidden', leaked, 403, 'permission_denied')]) {
      const mapped = mapRoomServiceError(error, { room: 'r' });
      expect(mapped).toBeInstanceOf(LiveKitServerCredentialsRejectedException);
      expect((mapped as LiveKitServerCredentialsRejectedException).getStatus()).toBe(502);
      expect((mapped as Error).message).not.toContain('eyJ');
      expect((mapped as Error).message).toContain('Fix:');
    }
  });

  it.each([
    [
      'a 5xx',
      new ServerError('Service Unavailable', 'twirp error unknown: no response from servers', 503, 'unavailable'),
      'unavailable',
      'no response from servers',
    ],
    [
      'a 500 without code',
      new ServerError('Internal Server Error', 'redis: dial tcp 10.1.2.3:6379: connect: connection refused', 500),
      'status 500',
      'redis: dial tcp 10.1.2.3:6379: connect: connection refused',
    ],
    ['a refused connection', new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }), 'not reachable', undefined],
    ['a timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'request timed out', undefined],
  ])('answers 503 for %s, keeping livekit-server message for the log', (_, error, reason, detail) => {
    const mapped = mapRoomServiceError(error, { room: 'r' });
    expect(mapped).toBeInstanceOf(LiveKitServerUnavailableException);
    expect((mapped as LiveKitServerUnavailableException).getStatus()).toBe(503);
    expect((mapped as Error).message).toBe(`LiveKit server unavailable: ${reason}`);
    expect((mapped as LiveKitServerUnavailableException).detail).toBe(detail);
  });

  it('returns anything else unchanged (a bug must stay a 500)', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(mapRoomServiceError(bug, { room: 'r' })).toBe(bug);
    expect(mapRoomServiceError('text', { room: 'r' })).toBe('text');
  });
});
