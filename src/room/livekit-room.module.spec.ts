import { type CanActivate, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RoomServiceClient } from 'livekit-server-sdk';
import { LiveKitModule } from '../livekit/livekit.module';
import { LiveKitAdminGuard } from './livekit-admin.guard';
import { LIVEKIT_ROOM_SERVICE_CLIENT } from './livekit-room.internal-constants';
import { LiveKitRoomModule } from './livekit-room.module';
import { LiveKitRoomService } from './livekit-room.service';

const livekit = LiveKitModule.forRoot({ apiKey: 'k', apiSecret: 's'.repeat(32), url: 'wss://lk.example.com' });

@Injectable()
class HostAdminGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

describe('LiveKitRoomModule', () => {
  it('gives the service, and no routes, by default', async () => {
    const definition = LiveKitRoomModule.forRoot();
    expect(definition.controllers ?? []).toHaveLength(0);
    const moduleRef = await Test.createTestingModule({ imports: [livekit, definition] }).compile();
    expect(moduleRef.get(LiveKitRoomService)).toBeInstanceOf(LiveKitRoomService);
    const client = moduleRef.get<RoomServiceClient>(LIVEKIT_ROOM_SERVICE_CLIENT, { strict: false });
    expect(client).toBeInstanceOf(RoomServiceClient);
    expect((client as unknown as { rpc: { host: string; requestTimeout: number } }).rpc).toMatchObject({
      host: 'https://lk.example.com',
      requestTimeout: 10,
    });
  });

  it('points the client at apiUrl with the given timeout', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [livekit, LiveKitRoomModule.forRoot({ apiUrl: 'ws://livekit.internal:7880', requestTimeoutMs: 2500 })],
    }).compile();
    const client = moduleRef.get<RoomServiceClient>(LIVEKIT_ROOM_SERVICE_CLIENT, { strict: false });
    expect((client as unknown as { rpc: object }).rpc).toMatchObject({ host: 'http://livekit.internal:7880', requestTimeout: 2.5 });
  });

  it('serves two controllers behind LiveKitAdminGuard with routes: true', () => {
    const definition = LiveKitRoomModule.forRoot({ routes: true, adminToken: 't'.repeat(32) });
    expect(definition.controllers).toHaveLength(2);
    for (const controller of definition.controllers ?? []) {
      expect(Reflect.getMetadata('__guards__', controller)).toEqual([LiveKitAdminGuard]);
    }
  });

  it('stops the boot when routes are on without adminToken, saying how to fix it', async () => {
    await expect(Test.createTestingModule({ imports: [livekit, LiveKitRoomModule.forRoot({ routes: true })] }).compile()).rejects.toThrow(
      /adminToken is not set\. Fix: pass adminToken/,
    );
  });

  it("takes the host's guard instead, which needs no adminToken", async () => {
    const definition = LiveKitRoomModule.forRoot({ routes: true, guard: HostAdminGuard });
    for (const controller of definition.controllers ?? []) {
      expect(Reflect.getMetadata('__guards__', controller)).toEqual([HostAdminGuard]);
    }
    await expect(Test.createTestingModule({ imports: [livekit, definition] }).compile()).resolves.toBeDefined();
  });

  it('applies the host decorators to the controllers', () => {
    const Marked = (): ClassDecorator => (target) => Reflect.defineMetadata('host:public', true, target);
    const definition = LiveKitRoomModule.forRoot({ routes: true, adminToken: 'x', decorators: [Marked()] });
    for (const controller of definition.controllers ?? []) expect(Reflect.getMetadata('host:public', controller)).toBe(true);
  });

  it('reads adminToken and apiUrl from an async factory', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        livekit,
        LiveKitRoomModule.forRootAsync({ routes: true, useFactory: () => Promise.resolve({ adminToken: 'from-factory' }) }),
      ],
    }).compile();
    expect(moduleRef.get(LiveKitAdminGuard, { strict: false })).toBeInstanceOf(LiveKitAdminGuard);
  });
});
