import { type CanActivate, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import { LiveKitModule } from '../livekit/livekit.module';
import { LiveKitAdminGuard } from '../room/livekit-admin.guard';
import type { AgentDispatchClients } from './agent-dispatch-clients.provider';
import { LIVEKIT_AGENT_DISPATCH_CLIENTS } from './livekit-agent-dispatch.internal-constants';
import { LiveKitAgentDispatchModule } from './livekit-agent-dispatch.module';
import { LiveKitAgentDispatchService } from './livekit-agent-dispatch.service';

const livekit = LiveKitModule.forRoot({ apiKey: 'k', apiSecret: 's'.repeat(32), url: 'wss://lk.example.com' });

@Injectable()
class HostAdminGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

describe('LiveKitAgentDispatchModule', () => {
  it('gives the service and both clients at the LiveKit URL, and no routes, by default', async () => {
    const definition = LiveKitAgentDispatchModule.forRoot();
    expect(definition.controllers ?? []).toHaveLength(0);
    const moduleRef = await Test.createTestingModule({ imports: [livekit, definition] }).compile();
    expect(moduleRef.get(LiveKitAgentDispatchService)).toBeInstanceOf(LiveKitAgentDispatchService);
    const clients = moduleRef.get<AgentDispatchClients>(LIVEKIT_AGENT_DISPATCH_CLIENTS, { strict: false });
    expect(clients.dispatches).toBeInstanceOf(AgentDispatchClient);
    expect(clients.rooms).toBeInstanceOf(RoomServiceClient);
    for (const client of [clients.dispatches, clients.rooms]) {
      expect((client as unknown as { rpc: object }).rpc).toMatchObject({ host: 'https://lk.example.com', requestTimeout: 10 });
    }
  });

  it('points both clients at apiUrl with the given timeout; refuses a timeout that is not positive', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [livekit, LiveKitAgentDispatchModule.forRoot({ apiUrl: 'ws://livekit.internal:7880', requestTimeoutMs: 2500 })],
    }).compile();
    const clients = moduleRef.get<AgentDispatchClients>(LIVEKIT_AGENT_DISPATCH_CLIENTS, { strict: false });
    for (const client of [clients.dispatches, clients.rooms]) {
      expect((client as unknown as { rpc: object }).rpc).toMatchObject({ host: 'http://livekit.internal:7880', requestTimeout: 2.5 });
    }
    await expect(
      Test.createTestingModule({ imports: [livekit, LiveKitAgentDispatchModule.forRoot({ requestTimeoutMs: 0 })] }).compile(),
    ).rejects.toThrow(/requestTimeoutMs must be a positive number/);
  });

  it('serves its controller behind LiveKitAdminGuard with routes: true, and stops the boot without adminToken', async () => {
    const definition = LiveKitAgentDispatchModule.forRoot({ routes: true, adminToken: 't'.repeat(32) });
    expect(definition.controllers).toHaveLength(1);
    expect(Reflect.getMetadata('__guards__', definition.controllers![0]!)).toEqual([LiveKitAdminGuard]);
    await expect(Test.createTestingModule({ imports: [livekit, definition] }).compile()).resolves.toBeDefined();
    await expect(
      Test.createTestingModule({ imports: [livekit, LiveKitAgentDispatchModule.forRoot({ routes: true })] }).compile(),
    ).rejects.toThrow(/adminToken is not set\. Fix: pass adminToken/);
  });

  it("takes the host's guard instead, which needs no adminToken", async () => {
    const definition = LiveKitAgentDispatchModule.forRoot({ routes: true, guard: HostAdminGuard });
    expect(Reflect.getMetadata('__guards__', definition.controllers![0]!)).toEqual([HostAdminGuard]);
    await expect(Test.createTestingModule({ imports: [livekit, definition] }).compile()).resolves.toBeDefined();
  });
});
