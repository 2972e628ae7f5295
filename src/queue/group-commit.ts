export interface GroupCommitOptions<T> {
  /** Most items one write carries. */
  maxBatchSize: number;
  /** Writes that may be in flight at once. @default 1 */
  maxInFlight?: number;
  /** Items with the same key, submitted before their write starts, are written once and share its outcome. */
  keyOf?: (item: T) => string;
}

interface PendingItem<T> {
  item: T;
  key: string | undefined;
  written: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the items submitted while a write is in flight go together in the next write, sent as
 * soon as that one returns. No timer: the first item of an idle period is written at once, so a batch only
 * grows with the items that arrived during the previous write (at most `maxBatchSize`). `submit` resolves
 * once the write that carried its item resolved, and rejects with that write's error; a failed write
 * rejects its own items only.
 */
export class GroupCommit<T> {
  private readonly maxInFlight: number;
  private pending: PendingItem<T>[] = [];
  private readonly pendingByKey = new Map<string, PendingItem<T>>();
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    private readonly options: GroupCommitOptions<T>,
  ) {
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  /** Resolves once a write that carried `item` (or an item with its key) resolved. */
  submit(item: T): Promise<void> {
    const key = this.options.keyOf?.(item);
    const same = key === undefined ? undefined : this.pendingByKey.get(key);
    if (same) return same.written;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const written = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: PendingItem<T> = { item, key, written, resolve, reject };
    this.pending.push(entry);
    if (key !== undefined) this.pendingByKey.set(key, entry);
    this.startWrites();
    return written;
  }

  /** Resolves once every item submitted so far was written or failed. */
  idle(): Promise<void> {
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private startWrites(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatchSize);
      for (const entry of batch) if (entry.key !== undefined) this.pendingByKey.delete(entry.key);
      this.inFlight++;
      void this.writeBatch(batch);
    }
  }

  private async writeBatch(batch: PendingItem<T>[]): Promise<void> {
    try {
      await this.write(batch.map((entry) => entry.item));
      for (const entry of batch) entry.resolve();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.inFlight--;
      this.startWrites();
      if (this.inFlight === 0 && this.pending.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }
}
