import { ParticipantInfo, Room } from 'livekit-server-sdk';
import { toConsoleRoom } from './polling-room.source';
import { roomStateToConsoleRoom } from './room-state.source';

describe("the Rooms page's participants", () => {
  it('from RoomService: agents marked, tracks with their muted state, publishing when one is live', () => {
    const agent = ParticipantInfo.fromJson({
      sid: 'PA_agent',
      identity: 'agent-1',
      kind: 'AGENT',
      permission: { canPublish: true },
      tracks: [{ sid: 'TR_a', name: 'voice', type: 'AUDIO', source: 'MICROPHONE', muted: true }],
    });
    const viewer = ParticipantInfo.fromJson({ sid: 'PA_v', identity: 'viewer', permission: { canPublish: false } });
    const room = toConsoleRoom(new Room({ sid: 'RM_1', name: 'demo' }), [viewer, agent]);
    expect(room.participants).toEqual([
      expect.objectContaining({ identity: 'agent-1', kind: 'AGENT', agent: true, publishing: false, canPublish: true }),
      expect.objectContaining({ identity: 'viewer', kind: 'STANDARD', agent: false, canPublish: false, tracks: [] }),
    ]);
    expect(room.participants[0]!.tracks).toEqual([{ sid: 'TR_a', name: 'voice', type: 'AUDIO', source: 'MICROPHONE', muted: true }]);
  });

  it('from the room state: the same view', () => {
    const track = {
      sid: 'TR_a',
      name: 'mic',
      type: 'AUDIO',
      source: 'MICROPHONE',
      muted: false,
      mimeType: '',
      width: 0,
      height: 0,
      simulcast: false,
    };
    const room = roomStateToConsoleRoom({
      name: 'demo',
      sid: 'RM_1',
      metadata: '',
      createdAt: 1_700_000_000_000,
      updatedAt: 0,
      maxParticipants: 0,
      participants: [
        {
          sid: 'PA_1',
          identity: 'bot',
          name: '',
          kind: 'AGENT',
          state: 'ACTIVE',
          metadata: '',
          attributes: {},
          joinedAt: 0,
          version: 1,
          isPublisher: true,
          tracks: [track],
        },
      ],
    });
    expect(room).toEqual({
      sid: 'RM_1',
      name: 'demo',
      numParticipants: 1,
      createdAt: new Date(1_700_000_000_000).toISOString(),
      participants: [
        expect.objectContaining({
          identity: 'bot',
          agent: true,
          publishing: true,
          joinedAt: undefined,
          tracks: [expect.objectContaining({ sid: 'TR_a', muted: false })],
        }),
      ],
    });
  });
});
