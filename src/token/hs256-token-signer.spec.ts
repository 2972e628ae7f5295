import { AccessToken, RoomConfiguration, TokenVerifier, TrackSource } from 'livekit-server-sdk';
import { Hs256TokenSigner } from './hs256-token-signer';

const KEY = 'signer-key';
const SECRET = 'signer-secret-0123456789abcdef0123456789';

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

describe('Hs256TokenSigner', () => {
  const signer = new Hs256TokenSigner(KEY, SECRET);

  it.each([
    ['a tutorial token', {}],
    ['every optional claim', { metadata: '{"a":1}', attributes: { k: 'v' }, name: 'Alice' }],
  ])('produces what the SDK produces for %s, accepted by TokenVerifier', async (_, extra: Record<string, unknown>) => {
    const video = { roomJoin: true, room: 'r', canPublish: true, canPublishSources: [TrackSource.MICROPHONE] };
    const roomConfig = new RoomConfiguration({ maxParticipants: 4, agents: [{ agentName: 'a' }] });
    const sdk = new AccessToken(KEY, SECRET, { identity: 'alice', ttl: 600, ...extra });
    sdk.addGrant(video);
    sdk.roomConfig = roomConfig;
    const now = Date.now();
    const sdkJwt = await sdk.toJwt();
    const ours = signer.sign('alice', { ...extra, video, roomConfig }, 600, now);

    const verified = await new TokenVerifier(KEY, SECRET).verify(ours);
    expect(verified).toEqual(await new TokenVerifier(KEY, SECRET).verify(sdkJwt));
    expect(Object.keys(payloadOf(ours))).toEqual(Object.keys(payloadOf(sdkJwt)));
    expect(ours.split('.')[0]).toBe(sdkJwt.split('.')[0]);
    if (Math.floor(now / 1000) === payloadOf(sdkJwt).nbf) expect(ours).toBe(sdkJwt);
  });

  it('is refused by a verifier with another secret', async () => {
    const jwt = signer.sign('a', { video: { roomJoin: true, room: 'r' } }, 60);
    await expect(new TokenVerifier(KEY, `${SECRET}x`).verify(jwt)).rejects.toThrow();
  });
});
