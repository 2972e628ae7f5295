import type { LiveKitRoomChange, LiveKitRoomStateService } from '../../src/room-state';
import { eventually } from './eventually';

/** Every change a service emits, kept in order, with waits on the ones still to come. */
export class ChangeLog {
  readonly changes: LiveKitRoomChange[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(state: LiveKitRoomStateService) {
    this.unsubscribe = state.subscribe((change) => {
      this.changes.push(change);
      for (const wake of this.waiters) wake();
    });
  }

  /** Index to pass to {@link next}: only changes after this point count. */
  mark(): number {
    return this.changes.length;
  }

  /** Resolves with the first change from `from` on that matches, failing after `timeoutMs` with what came instead. */
  next(from: number, match: (change: LiveKitRoomChange) => boolean, what: string, timeoutMs = 20_000): Promise<LiveKitRoomChange> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.changes.slice(from).find(match);
        if (!found) return false;
        finish();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        const seen = this.changes.slice(from).map((c) => `${c.type}:${c.room}/${c.participant?.identity ?? ''}`);
        reject(new Error(`no change "${what}" within ${timeoutMs} ms; changes since: ${JSON.stringify(seen)}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      const wake = () => void check();
      if (!check()) this.waiters.add(wake);
    });
  }

  close(): void {
    this.unsubscribe();
  }
}

/** A participant as both sides list it: the room state's projection and LiveKit's `listParticipants`. */
interface ParticipantSessions {
  identity: string;
  sid: string;
  tracks: readonly { sid: string; muted: boolean }[];
}

/** What both sides must agree on: each identity's session sid, its tracks' sids and muted flags. */
export function projected(participants: readonly ParticipantSessions[]): string[] {
  return participants
    .map(
      (p) =>
        `${p.identity}/${p.sid}[${p.tracks
          .map((t) => `${t.sid}${t.muted ? ':muted' : ''}`)
          .sort()
          .join(',')}]`,
    )
    .sort();
}

/** {@link eventually} with this suite's bound, for conditions that no change event announces. */
export function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  return eventually(read, ok, what, timeoutMs);
}
