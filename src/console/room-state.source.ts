import { Logger } from '@nestjs/common';
import { auditTime, catchError, EMPTY, exhaustMap, from, merge, type Observable, of, shareReplay, Subject } from 'rxjs';
import type { LiveKitParticipantState, LiveKitRoomState } from '../room-state/interfaces/livekit-room-state.interface';
import type { LiveKitRoomStateReconciler } from '../room-state/livekit-room-state.reconciler';
import type { LiveKitRoomStateService } from '../room-state/livekit-room-state.service';
import { ConsoleRoomSource } from './console-room.source';
import type { LiveKitConsoleParticipant, LiveKitConsoleRoom } from './interfaces/console-room.interface';

/** Coalesces a burst of changes (a room ending, a reconcile run) into one list sent to the page. */
const COALESCE_MS = 100;

const isoOf = (ms: number): string | undefined => (ms > 0 ? new Date(ms).toISOString() : undefined);

function toConsoleParticipant(participant: LiveKitParticipantState): LiveKitConsoleParticipant {
  const tracks = participant.tracks.map(({ sid, name, type, source, muted }) => ({ sid, name, type, source, muted }));
  return {
    sid: participant.sid,
    identity: participant.identity,
    name: participant.name,
    state: participant.state,
    kind: participant.kind,
    agent: participant.kind === 'AGENT',
    joinedAt: isoOf(participant.joinedAt),
    publishing: tracks.some((track) => !track.muted),
    tracks,
  };
}

export function roomStateToConsoleRoom(room: LiveKitRoomState): LiveKitConsoleRoom {
  return {
    sid: room.sid,
    name: room.name,
    numParticipants: room.participants.length,
    createdAt: isoOf(room.createdAt),
    participants: room.participants.map(toConsoleParticipant).sort((a, b) => a.identity.localeCompare(b.identity)),
  };
}

/**
 * The Rooms page's list from the room state (`LiveKitRoomStateService`): read once when a page opens, then
 * again on each change the state emits (webhooks, the reconciler's repairs, other instances on Redis). After a
 * console action it asks the reconciler for a run, since LiveKit sends no webhook for a mute.
 */
export class RoomStateConsoleRoomSource extends ConsoleRoomSource {
  readonly backing = 'room-state';
  private readonly logger = new Logger('LiveKitConsole');
  private readonly shared: Observable<LiveKitConsoleRoom[]>;
  private readonly kick = new Subject<void>();

  constructor(
    private readonly state: LiveKitRoomStateService,
    private readonly reconciler: LiveKitRoomStateReconciler | undefined,
    private readonly maxRooms: number,
  ) {
    super();
    this.shared = merge(of(undefined), state.changes$, this.kick).pipe(
      auditTime(COALESCE_MS),
      exhaustMap(() =>
        from(this.rooms()).pipe(
          catchError((error: unknown) => {
            this.logger.warn(`could not read the room state: ${(error as Error).message}`);
            return EMPTY;
          }),
        ),
      ),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  async rooms(): Promise<LiveKitConsoleRoom[]> {
    return (await this.state.rooms()).slice(0, this.maxRooms).map(roomStateToConsoleRoom);
  }

  changes(): Observable<LiveKitConsoleRoom[]> {
    return this.shared;
  }

  refresh(): void {
    if (!this.reconciler) return this.kick.next();
    this.reconciler.reconcile().then(
      () => this.kick.next(),
      (error: unknown) => this.logger.warn(`room state reconcile after a console action failed: ${(error as Error).message}`),
    );
  }
}
