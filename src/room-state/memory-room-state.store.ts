import type { LiveKitRoomChange } from './interfaces/livekit-room-state.interface';
import type { RoomRecord } from './room-state.record';
import { type RoomRecordMutation, RoomStateStore } from './room-state.store';

/** The projection in this process's memory (the default). Mutations are synchronous, so each is atomic. */
export class MemoryRoomStateStore extends RoomStateStore {
  private readonly records = new Map<string, RoomRecord>();
  private readonly listeners = new Set<(changes: LiveKitRoomChange[], local: boolean) => void>();

  mutate(room: string, mutation: RoomRecordMutation): Promise<LiveKitRoomChange[]> {
    const current = this.records.get(room);
    const { record, changes } = mutation(current && structuredClone(current));
    if (record) this.records.set(room, record);
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
