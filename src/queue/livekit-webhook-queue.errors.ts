import { ServiceUnavailableException } from '@nestjs/common';

/** Thrown at boot when the queue options cannot work; the message says how to fix them. */
export class LiveKitWebhookQueueOptionsError extends Error {
  constructor(problem: string, fix: string) {
    super(`${problem}. Fix: ${fix}`);
    this.name = 'LiveKitWebhookQueueOptionsError';
  }
}

/**
 * 503: Redis did not take the event in time (unreachable, or slower than `enqueueTimeoutMs`).
 * Nothing was acknowledged: LiveKit retries, and an event that did reach Redis meanwhile is not run twice.
 * The answer's body is generic; `detail` (the Redis client's error, which names hosts and ports) is for
 * the server log only.
 */
export class LiveKitWebhookQueueUnavailableException extends ServiceUnavailableException {
  constructor(readonly detail: string) {
    super('webhook queue unavailable; LiveKit will retry');
  }
}

/** An attempt of a queued event failed: these handlers threw; only they run again on the next attempt. */
export class LiveKitWebhookHandlersFailedError extends Error {
  constructor(
    readonly eventId: string,
    readonly failures: ReadonlyArray<{ handler: string; message: string }>,
  ) {
    super(`webhook handler(s) failed on ${eventId}: ${failures.map((f) => `${f.handler}: ${f.message}`).join('; ')}`);
    this.name = 'LiveKitWebhookHandlersFailedError';
  }
}

/** A dead-letter operation on an event that is not a dead letter (unknown, processed, or still retrying). */
export class LiveKitWebhookDeadLetterNotFoundError extends Error {
  constructor(
    readonly eventId: string,
    state: string,
  ) {
    super(`event ${eventId} is not a dead letter (state: ${state}). Fix: list the dead letters with LiveKitWebhookDeadLetters.list()`);
    this.name = 'LiveKitWebhookDeadLetterNotFoundError';
  }
}

/** A queue operation was called while queue mode is off (`enabled: false`). */
export class LiveKitWebhookQueueDisabledError extends Error {
  constructor() {
    super('webhook queue mode is off. Fix: register LiveKitWebhookQueueModule with enabled: true (standalone: WEBHOOK_MODE=queue)');
    this.name = 'LiveKitWebhookQueueDisabledError';
  }
}
