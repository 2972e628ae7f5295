import { Test } from '@nestjs/testing';
import { LiveKitModule } from '../livekit/livekit.module';
import { LiveKitParticipantsModule } from './livekit-participants.module';
import { LiveKitParticipantsService } from './livekit-participants.service';
import { LiveKitParticipantClosedException } from './livekit-participants.errors';

const livekit = LiveKitModule.forRoot({ apiKey: 'k', apiSecret: 's'.repeat(32), url: 'ws://127.0.0.1:9' });

describe('LiveKitParticipantsService', () => {
  it.each([
    [{ maxConnections: 0 }, /maxConnections must be a positive integer, got 0/],
    [{ maxConnections: 1.5 }, /maxConnections must be a positive integer/],
    [{ connectTimeoutMs: -1 }, /connectTimeoutMs must be a positive integer/],
  ])('stops the boot on %j', async (options, message) => {
    await expect(Test.createTestingModule({ imports: [livekit, LiveKitParticipantsModule.forRoot(options)] }).compile()).rejects.toThrow(
      message,
    );
  });

  it('starts with no connection, and refuses joins once the module is destroyed', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [livekit, LiveKitParticipantsModule.forRoot()] }).compile();
    const participants = moduleRef.get(LiveKitParticipantsService);
    expect(participants.connectionCount).toBe(0);
    expect(participants.connections).toEqual([]);
    await moduleRef.close();
    await expect(participants.join({ room: 'r', identity: 'bot' })).rejects.toBeInstanceOf(LiveKitParticipantClosedException);
  });
});
