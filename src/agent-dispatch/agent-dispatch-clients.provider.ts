import type { Provider } from '@nestjs/common';
import { AgentDispatchClient, type RoomServiceClient } from 'livekit-server-sdk';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { toLiveKitApiUrl } from '../room/livekit-api-url';
import { DEFAULT_ROOM_REQUEST_TIMEOUT_MS } from '../room/livekit-room.constants';
import { createRoomServiceClient } from '../room/room-service-client.provider';
import type { LiveKitAgentDispatchModuleOptions } from './interfaces/livekit-agent-dispatch-module-options.interface';
import { LIVEKIT_AGENT_DISPATCH_MODULE_OPTIONS } from './livekit-agent-dispatch.constants';
import { LIVEKIT_AGENT_DISPATCH_CLIENTS } from './livekit-agent-dispatch.internal-constants';

/** The SDK's AgentDispatch client, and a RoomService client to tell a missing room from a missing dispatch. */
export interface AgentDispatchClients {
  dispatches: AgentDispatchClient;
  rooms: RoomServiceClient;
}

/** Both clients signed with LiveKitModule's key, pointed at `apiUrl` or LiveKitModule's `url`, with one timeout. */
export function createAgentDispatchClients(
  livekit: ResolvedLiveKitOptions,
  options: LiveKitAgentDispatchModuleOptions,
): AgentDispatchClients {
  // Checks the timeout and the URL once, with the same messages as LiveKitRoomModule.
  const rooms = createRoomServiceClient(livekit, options);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_ROOM_REQUEST_TIMEOUT_MS;
  const dispatches = new AgentDispatchClient(toLiveKitApiUrl(options.apiUrl ?? livekit.url), livekit.apiKey, livekit.apiSecret, {
    requestTimeout: timeoutMs / 1000,
  });
  return { dispatches, rooms };
}

export const agentDispatchClientsProvider: Provider = {
  provide: LIVEKIT_AGENT_DISPATCH_CLIENTS,
  useFactory: createAgentDispatchClients,
  inject: [ResolvedLiveKitOptions, LIVEKIT_AGENT_DISPATCH_MODULE_OPTIONS],
};
