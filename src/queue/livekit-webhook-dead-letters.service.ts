import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { LiveKitWebhookDeadLetterNotFoundError } from './livekit-webhook-queue.errors';
import { LiveKitWebhookQueue } from './livekit-webhook-queue.service';
import { doneHandlersOf, fromJobId, toJobId, type WebhookJobData } from './webhook-job';

/** An event whose handlers failed on every attempt, as kept in the queue's failed set. */
export interface LiveKitWebhookDeadLetter {
  /** The event id (what LiveKit sent as `id`). */
  eventId: string;
  /** The BullMQ job id (the event id, with ':' and '%' escaped). */
  jobId: string;
  /** The event type, e.g. `participant_joined`. */
  event: string;
  /** Attempts made before it became a dead letter. */
  attemptsMade: number;
  /** The last attempt's error. */
  failedReason: string;
  /** Handlers that succeeded on some attempt; a replay runs only the others. */
  handlersDone: string[];
  receivedAt: Date;
  failedAt: Date | undefined;
  /** The verified body, exactly as LiveKit posted it. */
  body: string;
}

/**
 * Inspects and replays dead letters: events kept in the failed set after their last attempt.
 * A replay gives the event a full new set of attempts and runs only the handlers that have not
 * succeeded yet. While an event is a dead letter, LiveKit's redeliveries of it are acknowledged without
 * running it (it is the same job): replay is the way to run it again.
 */
@Injectable()
export class LiveKitWebhookDeadLetters {
  private readonly logger = new Logger('LiveKitWebhookQueue');

  constructor(private readonly webhookQueue: LiveKitWebhookQueue) {}

  /** Dead letters, oldest failure first. */
  async list(options: { offset?: number; limit?: number } = {}): Promise<LiveKitWebhookDeadLetter[]> {
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const limit = Math.max(1, Math.floor(options.limit ?? 100));
    const jobs = await this.webhookQueue.queue.getJobs(['failed'], offset, offset + limit - 1, true);
    return jobs.filter((job) => job?.id !== undefined).map((job) => describe(job));
  }

  count(): Promise<number> {
    return this.webhookQueue.deadLetterCount();
  }

  /** One dead letter, or undefined when the event is not one (unknown, processed, or still retrying). */
  async get(eventId: string): Promise<LiveKitWebhookDeadLetter | undefined> {
    const job = await this.webhookQueue.queue.getJob(toJobId(eventId));
    if (!job || (await job.getState()) !== 'failed') return undefined;
    return describe(job);
  }

  /**
   * Runs a dead letter again, with a full new set of attempts.
   * @throws LiveKitWebhookDeadLetterNotFoundError when the event is not a dead letter.
   */
  async replay(eventId: string): Promise<void> {
    const job = await this.webhookQueue.queue.getJob(toJobId(eventId));
    const state = job ? await job.getState() : 'unknown';
    if (!job || state !== 'failed') throw new LiveKitWebhookDeadLetterNotFoundError(eventId, state);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    this.logger.log(`dead letter ${eventId} (${job.name}) replayed`);
  }

  /**
   * Replays every event that is a dead letter when called (events that fail again meanwhile are not
   * replayed twice). Resolves with the number replayed.
   */
  async replayAll(): Promise<number> {
    const queue = this.webhookQueue.queue;
    const jobIds = await queue.getRanges(['failed'], 0, -1, true);
    let replayed = 0;
    for (const jobId of new Set(jobIds)) {
      const job = await queue.getJob(jobId);
      if (!job || (await job.getState()) !== 'failed') continue;
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        replayed += 1;
      } catch (error) {
        this.logger.warn(`dead letter ${fromJobId(jobId)} not replayed: ${(error as Error).message}`);
      }
    }
    this.logger.log(`${replayed} dead letter(s) replayed`);
    return replayed;
  }

  /**
   * Deletes a dead letter for good. Its id is then forgotten: a later redelivery of the same event would run.
   * @throws LiveKitWebhookDeadLetterNotFoundError when the event is not a dead letter.
   */
  async discard(eventId: string): Promise<void> {
    const job = await this.webhookQueue.queue.getJob(toJobId(eventId));
    const state = job ? await job.getState() : 'unknown';
    if (!job || state !== 'failed') throw new LiveKitWebhookDeadLetterNotFoundError(eventId, state);
    await job.remove();
    this.logger.log(`dead letter ${eventId} (${job.name}) discarded`);
  }
}

function describe(job: Job<WebhookJobData>): LiveKitWebhookDeadLetter {
  const jobId = job.id ?? '';
  return {
    eventId: job.data.eventId ?? fromJobId(jobId),
    jobId,
    event: job.name,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason,
    handlersDone: [...doneHandlersOf(job.progress)],
    receivedAt: new Date(job.data.receivedAt ?? job.timestamp),
    failedAt: job.finishedOn === undefined ? undefined : new Date(job.finishedOn),
    body: job.data.body,
  };
}
