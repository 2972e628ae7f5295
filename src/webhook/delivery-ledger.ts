import { performance } from 'node:perf_hooks';
import { CompletedEvents } from './completed-events';
import { LiveKitWebhookBusyException } from './livekit-webhook.errors';

/** Progress of one event's handlers: which finished, which are still running. */
export interface DeliveryProgress {
  readonly done: Set<string>;
  readonly running: ReadonlyMap<string, Promise<void>>;
  /** Every handler succeeded: a redelivery is a duplicate. */
  readonly complete: boolean;
}

interface Entry {
  readonly progress: DeliveryProgress & { readonly running: Map<string, Promise<void>> };
  /** When its last handler settled (or it was created): the start of its TTL. */
  settledAt: number;
}

/** What every completed event looks like: the ledger keeps only its key and the time it completed. */
const COMPLETE: DeliveryProgress = Object.freeze({
  done: new Set<string>(),
  running: new Map<string, Promise<void>>(),
  complete: true,
});

/**
 * In-process memory of recent events, so that a redelivery (same event id) runs only the handlers that
 * have not succeeded yet, and waits for those still running instead of starting them again.
 *
 * Bounded in entries and age, and it never starts a running handler twice:
 * - an entry with a running handler is never forgotten nor replaced: the TTL counts from the moment its
 *   last handler settled, and only settled entries are evicted;
 * - when `maxEntries` are held, a new event evicts the oldest completed entry, else the oldest settled
 *   one; when every entry has a running handler, a new event is refused ({@link LiveKitWebhookBusyException},
 *   503: LiveKit retries) rather than growing without bound or forgetting a running handler.
 * Completed, settled and running entries live in three maps, each in the order its entries got there, so
 * that expiry and eviction only look at the oldest entries: amortised O(1) per event, however many hang.
 * A completed event (nearly all of them) keeps only its key and a time, not its handler sets: the ledger
 * is full in steady state, and what it holds survives every young-generation collection.
 */
export class DeliveryLedger {
  private readonly completed = new CompletedEvents();
  private readonly settled = new Map<string, Entry>();
  private readonly running = new Map<string, Entry>();

  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The progress of `key`'s event, a fresh one when it is new or its entry expired.
   * @throws LiveKitWebhookBusyException when the ledger is full of events whose handlers are still running.
   */
  progressOf(key: string): DeliveryProgress {
    const running = this.running.get(key);
    if (running) return running.progress;
    const now = this.now();
    const completedAt = this.completed.completedAt(key);
    if (completedAt !== undefined && now - completedAt < this.ttlMs) return COMPLETE;
    const settled = this.settled.get(key);
    if (settled && now - settled.settledAt < this.ttlMs) return settled.progress;
    this.completed.delete(key);
    this.settled.delete(key);
    this.completed.deleteUpTo(now - this.ttlMs);
    this.expireSettled(now);
    if (this.size >= this.maxEntries) this.evictOldestSettled();
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

  /**
   * Marks `key`'s event as processed: every handler succeeded. Call it once nothing of it runs any more;
   * from then on {@link progressOf} answers a progress whose `complete` is true, until the TTL ends.
   */
  markComplete(key: string): void {
    if (this.running.has(key)) return;
    this.settled.delete(key);
    this.completed.delete(key);
    this.completed.add(key, this.now());
  }

  /** Events remembered, with running handlers or not. */
  get size(): number {
    return this.completed.size + this.settled.size + this.running.size;
  }

  /** Events whose handlers are still running. */
  get runningSize(): number {
    return this.running.size;
  }

  private evictOldestSettled(): void {
    if (this.completed.deleteOldest()) return;
    const oldestSettled = this.settled.keys().next();
    if (oldestSettled.done) throw new LiveKitWebhookBusyException();
    this.settled.delete(oldestSettled.value);
  }

  /**
   * Forgets the settled entries past their TTL: the oldest come first, so it stops at the first one kept.
   * Few entries are settled without being complete (failed handlers awaiting LiveKit's retry).
   */
  private expireSettled(now: number): void {
    for (const [key, entry] of this.settled) {
      if (now - entry.settledAt < this.ttlMs) return;
      this.settled.delete(key);
    }
  }
}
