/** Progress of one event's handlers: which finished, which are still running. */
export interface DeliveryProgress {
  readonly done: Set<string>;
  readonly running: Map<string, Promise<void>>;
  complete: boolean;
}

/**
 * In-process memory of recent events, so that a redelivery (same event id) runs only the handlers
 * that have not succeeded yet. Bounded: the oldest settled entries are forgotten first; an entry is
 * kept for `ttlMs`, far longer than LiveKit's retry window (a few seconds, 30 s queue age).
 */
export class DeliveryLedger {
  private readonly entries = new Map<string, { progress: DeliveryProgress; at: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  progressOf(key: string): DeliveryProgress {
    const existing = this.entries.get(key);
    if (existing && this.now() - existing.at < this.ttlMs) return existing.progress;
    const progress: DeliveryProgress = { done: new Set(), running: new Map(), complete: false };
    this.entries.delete(key);
    this.entries.set(key, { progress, at: this.now() });
    this.evict();
    return progress;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) return;
      if (entry.progress.running.size === 0) this.entries.delete(key);
    }
  }
}
