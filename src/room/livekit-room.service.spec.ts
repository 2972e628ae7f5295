import { Logger } from '@nestjs/common';
import {
  DataPacket_Kind,
  ParticipantInfo,
  ParticipantPermission,
  Room,
  type RoomServiceClient,
  ServerError,
  TrackInfo,
  TrackSource,
} from 'livekit-server-sdk';
import {
  LiveKitParticipantNotFoundException,
  LiveKitRoomNotFoundException,
  LiveKitServerUnavailableException,
  LiveKitTrackNotFoundException,
} from './livekit-room.errors';
import { LiveKitRoomService } from './livekit-room.service';

const participantMissing = new ServerError('Not Found', 'twirp error unknown: participant does not exist', 404, 'not_found');

function fakeClient(rooms: string[] = ['r']) {
  const alice = new ParticipantInfo({
    identity: 'alice',
    tracks: [new TrackInfo({ sid: 'TR_1', muted: false })],
    permission: new ParticipantPermission({
      canSubscribe: true,
      canPublish: true,
      canPublishData: true,
      canPublishSources: [TrackSource.MICROPHONE],
    }),
  });
  const client = {
    listRooms: jest.fn((names?: string[]) =>
      Promise.resolve(rooms.filter((n) => !names?.length || names.includes(n)).map((name) => new Room({ name }))),
    ),
    listParticipants: jest.fn((room: string) => Promise.resolve(rooms.includes(room) ? [alice] : [])),
    getParticipant: jest.fn((room: string, identity: string) =>
      rooms.includes(room) && identity === 'alice' ? Promise.resolve(alice) : Promise.reject(participantMissing),
    ),
    mutePublishedTrack: jest.fn((_r: string, _i: string, sid: string, muted: boolean) => Promise.resolve(new TrackInfo({ sid, muted }))),
    updateParticipant: jest.fn(() => Promise.resolve(alice)),
    sendData: jest.fn(() => Promise.resolve()),
    removeParticipant: jest.fn(() => Promise.reject(participantMissing)),
    deleteRoom: jest.fn(() => Promise.reject(new Error('network is down'))),
  };
  return { client, service: new LiveKitRoomService(client as unknown as RoomServiceClient) };
}

describe('LiveKitRoomService', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('gets a room by name, or a typed 404', async () => {
    const { service } = fakeClient();
    expect((await service.getRoom('r')).name).toBe('r');
    await expect(service.getRoom('nope')).rejects.toEqual(new LiveKitRoomNotFoundException('nope'));
  });

  it("turns livekit-server's empty participant list of a missing room into a 404", async () => {
    const { service, client } = fakeClient(['r', 'empty']);
    client.listParticipants.mockResolvedValueOnce([]);
    await expect(service.listParticipants('empty')).resolves.toEqual([]);
    await expect(service.listParticipants('nope')).rejects.toBeInstanceOf(LiveKitRoomNotFoundException);
  });

  it('tells a missing room from a missing participant (livekit-server says "participant" for both)', async () => {
    const { service } = fakeClient();
    await expect(service.getParticipant('r', 'bob')).rejects.toEqual(new LiveKitParticipantNotFoundException('r', 'bob'));
    await expect(service.getParticipant('nope', 'alice')).rejects.toEqual(new LiveKitRoomNotFoundException('nope'));
    await expect(service.removeParticipant('nope', 'alice')).rejects.toBeInstanceOf(LiveKitRoomNotFoundException);
  });

  it('checks participant and track before muting (livekit-server would time out, or accept an unknown sid)', async () => {
    const { service, client } = fakeClient();
    expect(await service.mutePublishedTrack('r', 'alice', 'TR_1', true)).toMatchObject({ sid: 'TR_1', muted: true });
    await expect(service.mutePublishedTrack('r', 'alice', 'TR_2', true)).rejects.toEqual(
      new LiveKitTrackNotFoundException('r', 'alice', 'TR_2'),
    );
    await expect(service.mutePublishedTrack('r', 'bob', 'TR_1', true)).rejects.toBeInstanceOf(LiveKitParticipantNotFoundException);
    await expect(service.mutePublishedTrack('nope', 'alice', 'TR_1', true)).rejects.toBeInstanceOf(LiveKitRoomNotFoundException);
    expect(client.mutePublishedTrack).toHaveBeenCalledTimes(1);
  });

  it('merges a permission change into the current permissions', async () => {
    const { service, client } = fakeClient();
    await service.updateParticipant('r', 'alice', { permission: { canPublish: false, hidden: undefined } });
    const [, , sent] = client.updateParticipant.mock.calls[0] as unknown as [string, string, { permission: ParticipantPermission }];
    expect(sent.permission).toBeInstanceOf(ParticipantPermission);
    expect(sent.permission).toMatchObject({
      canSubscribe: true,
      canPublish: false,
      canPublishData: true,
      canPublishSources: [TrackSource.MICROPHONE],
      hidden: false,
    });
  });

  it('updates metadata and attributes without reading the participant first', async () => {
    const { service, client } = fakeClient();
    await service.updateParticipant('r', 'alice', { metadata: 'm', attributes: { a: '1' } });
    expect(client.getParticipant).not.toHaveBeenCalled();
    expect(client.updateParticipant).toHaveBeenCalledWith('r', 'alice', { metadata: 'm', attributes: { a: '1' } });
  });

  it('sends text or bytes, reliable unless told otherwise, after checking the room', async () => {
    const { service, client } = fakeClient();
    await service.sendData('r', 'héllo', { topic: 't', destinationIdentities: ['alice'] });
    await service.sendData('r', new Uint8Array([1, 2]), { reliable: false });
    expect(client.sendData.mock.calls).toEqual([
      ['r', new TextEncoder().encode('héllo'), DataPacket_Kind.RELIABLE, { topic: 't', destinationIdentities: ['alice'] }],
      ['r', new Uint8Array([1, 2]), DataPacket_Kind.LOSSY, { topic: undefined, destinationIdentities: undefined }],
    ]);
    await expect(service.sendData('nope', 'x')).rejects.toBeInstanceOf(LiveKitRoomNotFoundException);
    expect(client.sendData).toHaveBeenCalledTimes(2);
  });

  it('leaves unknown failures alone, and maps an unreachable server to 503 with a warning', async () => {
    const { service, client } = fakeClient();
    await expect(service.deleteRoom('r')).rejects.toThrow('network is down');
    expect(Logger.prototype.warn).not.toHaveBeenCalled();
    client.deleteRoom.mockRejectedValueOnce(new TypeError('fetch failed'));
    await expect(service.deleteRoom('r')).rejects.toBeInstanceOf(LiveKitServerUnavailableException);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('not reachable'));
  });

  it("keeps livekit-server's 5xx message out of the exception's answer, and in the warning", async () => {
    const { service, client } = fakeClient();
    const internal = 'redis: dial tcp 10.1.2.3:6379: connect: connection refused';
    client.deleteRoom.mockRejectedValueOnce(new ServerError('Internal Server Error', internal, 500));
    const error = await service.deleteRoom('r').catch((e: unknown) => e as LiveKitServerUnavailableException);
    expect(error).toBeInstanceOf(LiveKitServerUnavailableException);
    expect(error?.getResponse()).toMatchObject({ message: 'LiveKit server unavailable: status 500' });
    expect(JSON.stringify(error?.getResponse())).not.toContain('10.1.2.3');
    expect(Logger.prototype.warn).toHaveBeenCalledWith(`LiveKit server unavailable: status 500: ${internal} (room "r")`);
  });
});
