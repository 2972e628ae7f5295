import { RoomConfiguration, TokenVerifier } from 'livekit-server-sdk';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { DefaultLiveKitTokenPolicy } from './default-token.policy';
import { LiveKitTokenFieldInvalidException, LiveKitTokenFieldNotAllowedException } from './livekit-token.errors';
import { LiveKitTokenService } from './livekit-token.service';

const SECRET = 'unit-secret-0123456789abcdef0123456789ab';
const livekit = new ResolvedLiveKitOptions({ apiKey: 'unit', apiSecret: SECRET, tokenTtl: 120, url: 'wss://x' });
const verifier = new TokenVerifier('unit', SECRET);

describe('LiveKitTokenService', () => {
  const service = new LiveKitTokenService(livekit, new DefaultLiveKitTokenPolicy(livekit, {}));

  it('mints exactly the decision, with a relative TTL', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await service.mint({
      identity: 'id',
      roomName: 'room',
      name: 'Name',
      metadata: 'meta',
      attributes: { a: 'b' },
      grants: { canPublish: false, canSubscribe: true },
      ttlSeconds: 60,
      roomConfig: new RoomConfiguration({ maxParticipants: 3 }),
    });
    const claims = await verifier.verify(token);
    expect(claims).toMatchObject({ sub: 'id', name: 'Name', metadata: 'meta', attributes: { a: 'b' }, iss: 'unit' });
    expect(claims.video).toEqual({ canPublish: false, canSubscribe: true, roomJoin: true, room: 'room' });
    expect(claims.roomConfig).toMatchObject({ maxParticipants: 3 });
    expect(claims.exp).toBeGreaterThanOrEqual(before + 60);
    expect(claims.exp).toBeLessThanOrEqual(before + 62);
  });

  it('uses the module TTL by default and returns the server URL', async () => {
    const issued = await service.issue({ endpoint: 'openvidu', roomName: 'r', participantName: 'p' });
    const claims = await verifier.verify(issued.token);
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(120);
    expect(issued.serverUrl).toBe('wss://x');
  });
});

describe('DefaultLiveKitTokenPolicy', () => {
  it('refuses, by name, a standard field outside allowedFields', () => {
    const policy = new DefaultLiveKitTokenPolicy(livekit, { allowedFields: ['room_name', 'participant_identity'] });
    expect(policy.decide({ endpoint: 'standard', roomName: 'r', participantIdentity: 'i' })).toMatchObject({
      roomName: 'r',
      identity: 'i',
    });
    expect(() => policy.decide({ endpoint: 'standard', roomName: 'r', participantMetadata: 'm' })).toThrow(
      new LiveKitTokenFieldNotAllowedException('participant_metadata'),
    );
    expect(() => policy.decide({ endpoint: 'standard', roomConfig: {} })).toThrow(LiveKitTokenFieldNotAllowedException);
  });

  it('turns an invalid room_config into a 400 naming it', () => {
    const policy = new DefaultLiveKitTokenPolicy(livekit, {});
    expect(() => policy.decide({ endpoint: 'standard', roomConfig: { max_participants: 'x' } })).toThrow(LiveKitTokenFieldInvalidException);
  });
});

describe('LiveKitTokenService telemetry', () => {
  it('reports each token issued with its endpoint, and direct mints as direct', async () => {
    const telemetry = new LiveKitTelemetry();
    const issued = jest.spyOn(telemetry, 'tokenIssued');
    const service = new LiveKitTokenService(livekit, new DefaultLiveKitTokenPolicy(livekit, {}), telemetry);
    await service.issue({ endpoint: 'standard', roomName: 'r' });
    await service.issue({ endpoint: 'openvidu', roomName: 'r', participantName: 'p' });
    await service.mint({ identity: 'i', roomName: 'r', grants: {} });
    expect(issued.mock.calls).toEqual([['standard'], ['openvidu'], ['direct']]);
  });

  it('reports nothing when the policy refuses', async () => {
    const telemetry = new LiveKitTelemetry();
    const issued = jest.spyOn(telemetry, 'tokenIssued');
    const policy = new DefaultLiveKitTokenPolicy(livekit, { allowedFields: ['room_name'] });
    await expect(
      new LiveKitTokenService(livekit, policy, telemetry).issue({ endpoint: 'standard', participantMetadata: 'm' }),
    ).rejects.toThrow(LiveKitTokenFieldNotAllowedException);
    expect(issued).not.toHaveBeenCalled();
  });
});
