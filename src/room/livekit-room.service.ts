import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DataPacket_Kind,
  ParticipantPermission,
  type ParticipantInfo,
  type Room,
  type RoomServiceClient,
  type TrackInfo,
} from 'livekit-server-sdk';
import type {
  LiveKitCreateRoomOptions,
  LiveKitParticipantUpdate,
  LiveKitSendDataOptions,
} from './interfaces/livekit-room-operations.interface';
import { LiveKitParticipantNotFoundException, LiveKitRoomNotFoundException, LiveKitTrackNotFoundException } from './livekit-room.errors';
import { LIVEKIT_ROOM_SERVICE_CLIENT } from './livekit-room.internal-constants';
import { mapRoomServiceError, type RoomServiceTarget, warnServerFailure } from './room-service-error.mapper';

/**
 * Moderates rooms through livekit-server's RoomService API, with LiveKitModule's credentials.
 * Failures are typed: {@link LiveKitRoomNotFoundException}, {@link LiveKitParticipantNotFoundException},
 * {@link LiveKitTrackNotFoundException} (404), `LiveKitRoomRequestRejectedException` (LiveKit's 4xx),
 * `LiveKitServerCredentialsRejectedException` (502) and `LiveKitServerUnavailableException` (503).
 */
@Injectable()
export class LiveKitRoomService {
  private readonly logger = new Logger('LiveKitRoomService');

  constructor(@Inject(LIVEKIT_ROOM_SERVICE_CLIENT) private readonly client: RoomServiceClient) {}

  /** Creates a room, or returns it unchanged when it already exists (rooms are also created by the first join). */
  createRoom(options: LiveKitCreateRoomOptions): Promise<Room> {
    return this.call({ room: options.name }, () => this.client.createRoom(options));
  }

  /** Active rooms, all of them or those named. */
  listRooms(names?: string[]): Promise<Room[]> {
    return this.call({ room: '' }, () => this.client.listRooms(names));
  }

  /** An active room. @throws LiveKitRoomNotFoundException */
  async getRoom(room: string): Promise<Room> {
    const [found] = await this.listRooms([room]);
    if (!found) throw new LiveKitRoomNotFoundException(room);
    return found;
  }

  /** Ends a room: every participant is disconnected. @throws LiveKitRoomNotFoundException */
  deleteRoom(room: string): Promise<void> {
    return this.call({ room }, () => this.client.deleteRoom(room));
  }

  /** Replaces a room's metadata; participants receive it. @throws LiveKitRoomNotFoundException */
  updateRoomMetadata(room: string, metadata: string): Promise<Room> {
    return this.call({ room }, () => this.client.updateRoomMetadata(room, metadata));
  }

  /** Participants of a room. @throws LiveKitRoomNotFoundException (livekit-server itself answers an empty list) */
  async listParticipants(room: string): Promise<ParticipantInfo[]> {
    const participants = await this.call({ room }, () => this.client.listParticipants(room));
    if (participants.length === 0) await this.getRoom(room);
    return participants;
  }

  /** A participant, with its published tracks. @throws LiveKitRoomNotFoundException, LiveKitParticipantNotFoundException */
  getParticipant(room: string, identity: string): Promise<ParticipantInfo> {
    return this.call({ room, identity }, () => this.client.getParticipant(room, identity));
  }

  /** Disconnects a participant (it may join again with a valid token). */
  removeParticipant(room: string, identity: string): Promise<void> {
    return this.call({ room, identity }, () => this.client.removeParticipant(room, identity));
  }

  /**
   * Mutes (or unmutes) a track the participant published. Unmuting needs `room.enable_remote_unmute`
   * in livekit-server's configuration. @throws LiveKitTrackNotFoundException, and the room and participant 404s
   */
  async mutePublishedTrack(room: string, identity: string, trackSid: string, muted: boolean): Promise<TrackInfo> {
    // livekit-server does not answer a mute for an unknown participant or track before its 3 s RPC timeout (503).
    const participant = await this.getParticipant(room, identity);
    if (!participant.tracks.some((track) => track.sid === trackSid)) throw new LiveKitTrackNotFoundException(room, identity, trackSid);
    return this.call({ room, identity, trackSid }, () => this.client.mutePublishedTrack(room, identity, trackSid, muted));
  }

  /**
   * Changes a participant's name, metadata, attributes or permissions. Unlike the SDK, permissions are
   * merged into the current ones; revoking `canPublish` unpublishes its tracks.
   */
  async updateParticipant(room: string, identity: string, update: LiveKitParticipantUpdate): Promise<ParticipantInfo> {
    let permission: ParticipantPermission | undefined;
    if (update.permission) {
      const current = await this.getParticipant(room, identity);
      permission = new ParticipantPermission({ ...current.permission, ...definedFields(update.permission) });
    }
    return this.call({ room, identity }, () =>
      this.client.updateParticipant(room, identity, {
        name: update.name,
        metadata: update.metadata,
        attributes: update.attributes,
        permission,
      }),
    );
  }

  /** Sends a data message to everyone in the room, or to the given identities. @throws LiveKitRoomNotFoundException */
  async sendData(room: string, data: Uint8Array | string, options: LiveKitSendDataOptions = {}): Promise<void> {
    // livekit-server answers 503 after a 3 s RPC timeout for a room that does not exist: check first.
    await this.getRoom(room);
    const payload = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const kind = options.reliable === false ? DataPacket_Kind.LOSSY : DataPacket_Kind.RELIABLE;
    await this.call({ room }, () =>
      this.client.sendData(room, payload, kind, { topic: options.topic, destinationIdentities: options.destinationIdentities }),
    );
  }

  /** Runs an SDK call, mapping its failure; a participant 404 becomes a room 404 when the room is gone. */
  private async call<T>(target: RoomServiceTarget, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const mapped = mapRoomServiceError(error, target);
      if (mapped instanceof LiveKitParticipantNotFoundException && !(await this.roomExists(target.room))) {
        throw new LiveKitRoomNotFoundException(target.room);
      }
      warnServerFailure(this.logger, mapped, target.room);
      throw mapped;
    }
  }

  private async roomExists(room: string): Promise<boolean> {
    try {
      return (await this.client.listRooms([room])).length > 0;
    } catch {
      return true; // keep the participant 404 rather than hide it behind a second failure
    }
  }
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
