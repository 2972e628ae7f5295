import type { LiveKitRoomChange } from './interfaces/livekit-room-state.interface';
import type { RoomRecord } from './room-state.record';

/** A change of one room record: a pure function of the record held (it may run again on a conflict). */
export type RoomRecordMutation = (record: RoomRecord | undefined) => { record?: RoomRecord; changes: LiveKitRoomChange[] };

/**
 * Where room records live. `mutate` is atomic per room name: concurrent mutations of one room (in this
 * process or, for Redis, in any instance) each see the result of the previous one.
 */
export abstract class RoomStateStore {
  /** Applies `mutation` to the record of `room` and stores the result; returns the changes it made. */
  abstract mutate(room: string, mutation: RoomRecordMutation): Promise<LiveKitRoomChange[]>;

  abstract get(room: string): Promise<RoomRecord | undefined>;

  /** Records of the rooms that are live (plus, possibly, some that finished a moment ago). */
  abstract list(): Promise<RoomRecord[]>;

  /**
   * Called with the changes of every instance sharing the store, this one's included (`local` true), once
   * each. Returns the unsubscribe function.
   */
  abstract onChanges(listener: (changes: LiveKitRoomChange[], local: boolean) => void): () => void;

  /** Whether this instance should run the scheduled reconcile now (one instance per interval). */
  abstract claimReconcile(intervalMs: number): Promise<boolean>;

  /** Drops finished records older than the retention. */
  abstract sweep(olderThan: number): Promise<void>;

  abstract close(): Promise<void>;

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
