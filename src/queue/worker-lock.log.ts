import { Logger } from '@nestjs/common';
import { withTimeout } from '../common/with-timeout';

const LOOKUP_TIMEOUT_MS = 1000;
const LOOKUP_RETRY_MS = 250;
const LOOKUP_DEADLINE_MS = 10_000;
const REMEMBERED_IDS = 1000;
const LOST_LOCK = /^(?:Missing lock|Lock mismatch) for job (\S+)\./;

/** The job id of a BullMQ error that says the worker no longer held the job's lock when it wrote its outcome. */
export function lostLockJobId(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? LOST_LOCK.exec(message)?.[1] : undefined;
}

/** How the worker's lock log reads a job: BullMQ's `Queue#getJobState`. */
export interface WorkerLockLookup {
  getJobState(jobId: string): Promise<string>;
}

/**
 * Says what happened when an event's lock expired or a worker found it gone, from what Redis holds, rather
 * than assuming that an instance died:
 * - an event put back in the queue (BullMQ's `stalled`) was held by an instance that stopped, or by one that
 *   lost its connection to Redis just as Redis handed it the event (Redis ran the command, the reply never
 *   arrived); when this instance's own connection broke within the takeover bound, the line says so;
 * - a completion refused for a missing lock is, when Redis already holds the event's outcome, the same write
 *   sent again by ioredis after a reconnection: Redis ran it before the connection broke.
 */
export class WorkerLockLog {
  private readonly logger = new Logger('LiveKitWebhookQueue');
  private readonly explained = new Set<string>();
  now: () => number = Date.now;

  /** `lastConnectionErrorAt`: when this instance's connections last reported that Redis could not be reached. */
  constructor(
    private readonly takeoverBoundMs: number,
    private readonly lookup: () => WorkerLockLookup,
    private readonly lastConnectionErrorAt: () => number | undefined,
  ) {}

  stalled(jobId: string): void {
    const brokeAt = this.lastConnectionErrorAt();
    const since = brokeAt === undefined ? undefined : this.now() - brokeAt;
    const own =
      since !== undefined && since <= this.takeoverBoundMs + 2000
        ? `; this instance's own connection to Redis broke ${Math.round(since / 100) / 10} s ago, so it may be one Redis handed to it then`
        : '';
    this.logger.warn(
      `event ${jobId} was put back in the queue after its lock expired: the instance that held it stopped, ` +
        `or lost its connection to Redis just as it took the event${own}`,
    );
  }

  async lostLock(jobId: string, error: Error): Promise<void> {
    if (this.explained.has(jobId)) return;
    if (this.explained.size >= REMEMBERED_IDS) this.explained.clear();
    this.explained.add(jobId);
    const state = await this.read((lookup) => lookup.getJobState(jobId));
    if (state === 'completed' || state === 'failed' || state === 'delayed') {
      this.logger.log(
        `event ${jobId}: its outcome was already recorded (${state}) before the connection to Redis broke; ` +
          'the write sent again after reconnecting found the lock released, nothing ran twice',
      );
    } else if (state === undefined) {
      this.logger.warn(
        `event ${jobId}: Redis refused the write that records its outcome (${error.message}) and its state could not be read; ` +
          'it ran here, and either that was already recorded or another instance will run it again',
      );
    } else {
      this.logger.warn(
        `event ${jobId} was no longer this instance's when its handlers finished (${error.message}; now ${state}): ` +
          'its lock expired (event loop stalled, or Redis away, longer than lockDurationMs) and another instance may run it again',
      );
    }
  }

  /** Reads Redis through the producer connection, which may come back a moment after the worker's: retried for a few seconds. */
  private async read<T>(work: (lookup: WorkerLockLookup) => Promise<T>): Promise<T | undefined> {
    const deadline = this.now() + LOOKUP_DEADLINE_MS;
    for (;;) {
      try {
        return await withTimeout(
          Promise.resolve().then(() => work(this.lookup())),
          LOOKUP_TIMEOUT_MS,
          () => new Error('timeout'),
        );
      } catch {
        if (this.now() >= deadline) return undefined;
        await new Promise((resolve) => setTimeout(resolve, LOOKUP_RETRY_MS));
      }
    }
  }
}
