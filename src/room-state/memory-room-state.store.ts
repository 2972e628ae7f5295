import type { LiveKitRoomChange } from './interfaces/livekit-room-state.interface';
import type { RoomRecord } from './room-state.record';
import { type RoomRecordMutation, RoomStateStore } from './room-state.store';

/** Mutations between two sweeps of finished records, so that memory stays bounded without the reconciler too. */
const SWEEP_EVERY = 1_000;

/** The projection in this process's memory (the default). Mutations are synchronous, so each is atomic. */
export class MemoryRoomStateStore extends RoomStateStore {
  private readonly records = new Map<string, RoomRecord>();
  private mutations = 0;

  /** @param finishedRetentionMs how long a finished room's record is kept */
  constructor(private readonly finishedRetentionMs: number) {
    super();
  }
  private readonly listeners = new Set<(changes: LiveKitRoomChange[], local: boolean) => void>();

  mutate(room: string, mutation: RoomRecordMutation): Promise<LiveKitRoomChange[]> {
    const current = this.records.get(room);
    const { record, changes } = mutation(current && structuredClone(current));
    if (record) this.records.set(room, record);
    if (++this.mutations % SWEEP_EVERY === 0) void this.sweep(Date.now() - this.finishedRetentionMs);
    if (changes.length > 0) for (const listener of this.listeners) listener(changes, true);
    return Promise.resolve(changes);
  }

  get(room: string): Promise<RoomRecord | undefined> {
    const record = this.records.get(room);
    return Promise.resolve(record && structuredClone(record));
  }

  list(): Promise<RoomRecord[]> {
    return Promise.resolve([...this.records.values()].filter((record) => record.room).map((record) => structuredClone(record)));
  }

  onChanges(listener: (changes: LiveKitRoomChange[], local: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  claimReconcile(): Promise<boolean> {
    return Promise.resolve(true);
  }

  sweep(olderThan: number): Promise<void> {
    for (const [name, record] of this.records) if (!record.room && record.seenAt < olderThan) this.records.delete(name);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
