import { performance } from 'node:perf_hooks';
import { LiveKitWebhookBusyException } from './livekit-webhook.errors';

/** Progress of one event's handlers: which finished, which are still running. */
export interface DeliveryProgress {
  readonly done: Set<string>;
  readonly running: ReadonlyMap<string, Promise<void>>;
  complete: boolean;
}

interface Entry {
  readonly progress: DeliveryProgress & { readonly running: Map<string, Promise<void>> };
  /** When its last handler settled (or it was created): the start of its TTL. */
  settledAt: number;
}

/**
 * In-process memory of recent events, so that a redelivery (same event id) runs only the handlers that
 * have not succeeded yet, and waits for those still running instead of starting them again.
 *
 * Bounded in entries and age, and it never starts a running handler twice:
 * - an entry with a running handler is never forgotten nor replaced: the TTL counts from the moment its
 *   last handler settled, and only settled entries are evicted;
 * - when `maxEntries` are held, a new event evicts the oldest settled entry; when every entry has a running
 *   handler, a new event is refused ({@link LiveKitWebhookBusyException}, 503: LiveKit retries) rather than
 *   growing without bound or forgetting a running handler.
 * Running and settled entries live in two maps, each in the order its entries got there, so that expiry
 * and eviction only look at the oldest settled entries: amortised O(1) per event, however many hang.
 */
export class DeliveryLedger {
  private readonly settled = new Map<string, Entry>();
  private readonly running = new Map<string, Entry>();

  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The progress of `key`'s event, a fresh one when it is new or its settled entry expired.
   * @throws LiveKitWebhookBusyException when the ledger is full of events whose handlers are still running.
   */
  progressOf(key: string): DeliveryProgress {
    const running = this.running.get(key);
    if (running) return running.progress;
    const now = this.now();
    const settled = this.settled.get(key);
    if (settled && now - settled.settledAt < this.ttlMs) return settled.progress;
    this.settled.delete(key);
    this.expire(now);
    if (this.size >= this.maxEntries) {
      const oldest = this.settled.keys().next();
      if (oldest.done) throw new LiveKitWebhookBusyException();
      this.settled.delete(oldest.value);
    }
    const entry: Entry = { progress: { done: new Set(), running: new Map(), complete: false }, settledAt: now };
    this.settled.set(key, entry);
    return entry.progress;
  }

  /** Records that a handler of `key`'s event runs until `run` settles; call it right after {@link progressOf}. */
  track(key: string, handlerId: string, run: Promise<void>): void {
    const entry = this.running.get(key) ?? this.settled.get(key);
    if (!entry) return;
    if (entry.progress.running.size === 0) {
      this.settled.delete(key);
      this.running.set(key, entry);
    }
    entry.progress.running.set(handlerId, run);
    const settle = () => {
      entry.progress.running.delete(handlerId);
      if (entry.progress.running.size > 0) return;
      this.running.delete(key);
      entry.settledAt = this.now();
      this.settled.set(key, entry);
    };
    void run.then(settle, settle);
  }

  /** Events remembered, with running handlers or not. */
  get size(): number {
    return this.settled.size + this.running.size;
  }

  /** Events whose handlers are still running. */
  get runningSize(): number {
    return this.running.size;
  }

  /** Forgets the settled entries past their TTL: the oldest come first, so it stops at the first one kept. */
  private expire(now: number): void {
    for (const [key, entry] of this.settled) {
      if (now - entry.settledAt < this.ttlMs) return;
      this.settled.delete(key);
    }
  }
}
