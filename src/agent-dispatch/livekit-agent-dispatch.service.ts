import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AgentDispatch } from 'livekit-server-sdk';
import { LiveKitRoomNotFoundException } from '../room/livekit-room.errors';
import { mapRoomServiceError, type RoomServiceTarget, warnServerFailure } from '../room/room-service-error.mapper';
import type { AgentDispatchClients } from './agent-dispatch-clients.provider';
import type { LiveKitCreateAgentDispatchOptions } from './interfaces/livekit-agent-dispatch-operations.interface';
import { LiveKitAgentDispatchNotFoundException } from './livekit-agent-dispatch.errors';
import { LIVEKIT_AGENT_DISPATCH_CLIENTS } from './livekit-agent-dispatch.internal-constants';

/**
 * Dispatches agents to rooms through livekit-server's AgentDispatchService API (the SDK's
 * `AgentDispatchClient`), with LiveKitModule's credentials. Failures are typed as in
 * {@link LiveKitRoomService}: `LiveKitRoomNotFoundException` and {@link LiveKitAgentDispatchNotFoundException}
 * (404), `LiveKitRoomRequestRejectedException` (LiveKit's 4xx), `LiveKitServerCredentialsRejectedException`
 * (502) and `LiveKitServerUnavailableException` (503).
 *
 * Dispatches also come from tokens: a participant joining with `room_config.agents` in its token makes
 * livekit-server create one dispatch per agent listed; {@link listDispatches} shows them too.
 */
@Injectable()
export class LiveKitAgentDispatchService {
  private readonly logger = new Logger('LiveKitAgentDispatchService');

  constructor(@Inject(LIVEKIT_AGENT_DISPATCH_CLIENTS) private readonly clients: AgentDispatchClients) {}

  /**
   * Asks for the agent registered as `agentName` to join `room` (explicit dispatch). livekit-server
   * creates the room when it does not exist yet; the agent joins once a worker of that name takes the job.
   */
  createDispatch(room: string, agentName: string, options: LiveKitCreateAgentDispatchOptions = {}): Promise<AgentDispatch> {
    return this.call({ room }, () => this.clients.dispatches.createDispatch(room, agentName, { metadata: options.metadata }));
  }

  /** The room's dispatches, explicit or from tokens. @throws LiveKitRoomNotFoundException */
  async listDispatches(room: string): Promise<AgentDispatch[]> {
    await this.assertRoom(room);
    return this.call({ room }, () => this.clients.dispatches.listDispatch(room));
  }

  /** One dispatch. @throws LiveKitRoomNotFoundException, LiveKitAgentDispatchNotFoundException */
  async getDispatch(room: string, dispatchId: string): Promise<AgentDispatch> {
    await this.assertRoom(room);
    const found = await this.call({ room, dispatchId }, () => this.clients.dispatches.getDispatch(dispatchId, room));
    if (!found) throw new LiveKitAgentDispatchNotFoundException(room, dispatchId);
    return found;
  }

  /**
   * Deletes a dispatch: the agent's job ends and the agent leaves the room.
   * @throws LiveKitRoomNotFoundException, LiveKitAgentDispatchNotFoundException
   */
  async deleteDispatch(room: string, dispatchId: string): Promise<void> {
    await this.assertRoom(room);
    await this.call({ room, dispatchId }, () => this.clients.dispatches.deleteDispatch(dispatchId, room));
  }

  // livekit-server answers list, get and delete for a room it does not host only after its 3 s internal
  // RPC timeout, as 503: ask RoomService first, and answer the 404 at once.
  private async assertRoom(room: string): Promise<void> {
    const rooms = await this.call({ room }, () => this.clients.rooms.listRooms([room]));
    if (rooms.length === 0) throw new LiveKitRoomNotFoundException(room);
  }

  private async call<T>(target: RoomServiceTarget, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const mapped = mapRoomServiceError(error, target);
      warnServerFailure(this.logger, mapped, target.room);
      throw mapped;
    }
  }
}
