import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { type WebhookRefusal, webhookRefusalMessage } from './webhook-refusal.messages';

/** One line per reason and key per window… */
const WINDOW_MS = 1000;
/** …and at most this many lines per window in all, whatever keys a flood of forged requests names. */
const MAX_LINES_PER_WINDOW = 10;

/**
 * The server log of refused webhooks: LiveKit does not retry a 4xx, so a refused event is lost, and this line
 * is the only place an operator sees why. Rate-limited so that a flood of forged requests cannot flood the
 * log: at most one line per reason and key per second, and {@link MAX_LINES_PER_WINDOW} per second in all;
 * the next line written says how many were left out. Memory stays bounded: a bucket exists only for a line
 * written in the last second.
 */
@Injectable()
export class WebhookRefusalLog {
  private readonly logger = new Logger('LiveKitWebhook');
  /** When each reason+key last had a line; in insertion order, which is the order of those times. */
  private readonly lastLine = new Map<string, number>();
  private windowStart = Number.NEGATIVE_INFINITY;
  private linesInWindow = 0;
  private notLogged = 0;
  /** A monotonic clock: a wall clock stepped back would silence the log. */
  now: () => number = () => performance.now();

  record(refusal: WebhookRefusal): void {
    const now = this.now();
    this.forgetBefore(now - WINDOW_MS);
    const bucket = `${refusal.reason}\u0000${refusal.keyId ?? ''}`;
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.linesInWindow = 0;
    }
    if (this.lastLine.has(bucket) || this.linesInWindow >= MAX_LINES_PER_WINDOW) {
      this.notLogged += 1;
      return;
    }
    this.lastLine.set(bucket, now);
    this.linesInWindow += 1;
    const message = webhookRefusalMessage(refusal, this.notLogged);
    this.notLogged = 0;
    if (refusal.status >= 500) this.logger.error(message);
    else this.logger.warn(message);
  }

  private forgetBefore(cutoff: number): void {
    for (const [bucket, at] of this.lastLine) {
      if (at > cutoff) return;
      this.lastLine.delete(bucket);
    }
  }
}
