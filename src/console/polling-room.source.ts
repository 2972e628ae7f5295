import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ParticipantInfo, Room } from 'livekit-server-sdk';
import { catchError, distinctUntilChanged, EMPTY, exhaustMap, from, map, merge, type Observable, shareReplay, Subject, timer } from 'rxjs';
import { LiveKitRoomNotFoundException } from '../room/livekit-room.errors';
import { participantToJson, roomToJson } from '../room/livekit-room.serializer';
import { LiveKitRoomService } from '../room/livekit-room.service';
import { ConsoleRoomSource } from './console-room.source';
import type { LiveKitConsoleParticipant, LiveKitConsoleRoom, LiveKitConsoleTrack } from './interfaces/console-room.interface';
import { ResolvedConsoleOptions } from './resolved-console-options';

type Json = Record<string, unknown>;
const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
const epochSeconds = (value: unknown): string | undefined => {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined;
};

export function toConsoleParticipant(participant: ParticipantInfo): LiveKitConsoleParticipant {
  const json = participantToJson(participant);
  const tracks: LiveKitConsoleTrack[] = ((json.tracks as Json[] | undefined) ?? []).map((track) => ({
    sid: str(track.sid),
    name: str(track.name),
    type: str(track.type),
    source: str(track.source),
    muted: track.muted === true,
  }));
  const kind = str(json.kind) || 'STANDARD';
  return {
    sid: str(json.sid),
    identity: str(json.identity),
    name: str(json.name),
    state: str(json.state),
    kind,
    agent: kind === 'AGENT',
    joinedAt: epochSeconds(json.joinedAt),
    canPublish: (json.permission as Json | undefined)?.canPublish === true,
    publishing: tracks.some((track) => !track.muted),
    tracks,
  };
}

export function toConsoleRoom(room: Room, participants: ParticipantInfo[]): LiveKitConsoleRoom {
  const json = roomToJson(room);
  return {
    sid: str(json.sid),
    name: str(json.name),
    numParticipants: participants.length,
    createdAt: epochSeconds(json.creationTime),
    participants: participants.map(toConsoleParticipant).sort((a, b) => a.identity.localeCompare(b.identity)),
  };
}

/**
 * The Rooms page's list read from livekit-server: `listRooms`, then `listParticipants` of each (at most
 * `maxRooms`), every `roomsPollIntervalMs` while a console page is open, published when it changed.
 */
@Injectable()
export class PollingConsoleRoomSource extends ConsoleRoomSource {
  readonly backing = 'room-service-polling';
  private readonly logger = new Logger('LiveKitConsole');
  private readonly shared: Observable<LiveKitConsoleRoom[]>;
  private readonly kick = new Subject<void>();

  constructor(
    private readonly roomService: LiveKitRoomService,
    @Inject(ResolvedConsoleOptions) private readonly options: ResolvedConsoleOptions,
  ) {
    super();
    this.shared = merge(timer(0, options.roomsPollIntervalMs), this.kick).pipe(
      exhaustMap(() =>
        from(this.rooms()).pipe(
          catchError((error: unknown) => {
            this.logger.warn(`could not read the rooms from livekit-server: ${(error as Error).message}`);
            return EMPTY;
          }),
        ),
      ),
      map((rooms) => ({ rooms, key: JSON.stringify(rooms) })),
      distinctUntilChanged((a, b) => a.key === b.key),
      map(({ rooms }) => rooms),
      // The latest list for a page that opens meanwhile; polling stops with the last page closed.
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  async rooms(): Promise<LiveKitConsoleRoom[]> {
    const rooms = (await this.roomService.listRooms()).sort((a, b) => a.name.localeCompare(b.name)).slice(0, this.options.maxRooms);
    const listed = await Promise.all(
      rooms.map(async (room) => {
        try {
          return toConsoleRoom(room, await this.roomService.listParticipants(room.name));
        } catch (error) {
          if (error instanceof LiveKitRoomNotFoundException) return undefined; // closed meanwhile
          throw error;
        }
      }),
    );
    return listed.filter((room): room is LiveKitConsoleRoom => room !== undefined);
  }

  changes(): Observable<LiveKitConsoleRoom[]> {
    return this.shared;
  }

  refresh(): void {
    this.kick.next();
  }
}
