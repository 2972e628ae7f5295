import { Injectable, Logger } from '@nestjs/common';

const REPEAT_MS = 30_000;
const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|Connection is closed|connect ETIMEDOUT|Stream isn't writeable|MaxRetriesPerRequest/i;

/** Whether an error says that Redis cannot be reached, rather than that a command failed. */
export function isConnectionError(error: unknown): boolean {
  const { message, code } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; code?: unknown };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return CONNECTION_ERROR.test(`${text(code)} ${typeof message === 'string' ? message : text(error)}`);
}

/**
 * One log for the queue's Redis outages, whichever connection notices them (producer, worker): a line
 * when the outage starts, one every 30 s while it lasts, and one when the producer is connected again,
 * instead of a line per reconnection attempt of each connection.
 */
@Injectable()
export class RedisOutageLog {
  private readonly logger = new Logger('LiveKitWebhookQueue');
  private downSince: number | undefined;
  private lastLog = 0;
  /** When a connection (producer or worker) last reported that Redis could not be reached. */
  lastConnectionErrorAt: number | undefined;
  now: () => number = Date.now;

  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  error(error: unknown, source: string): void {
    const message = error instanceof Error ? error.message : String(error);
    if (!isConnectionError(error)) {
      this.logger.error(`${source}: ${message}`);
      return;
    }
    const now = this.now();
    this.lastConnectionErrorAt = now;
    if (this.downSince === undefined) {
      this.downSince = now;
      this.lastLog = now;
      this.logger.error(`Redis unreachable (${source}: ${message}); webhooks answer 503 until it is back`);
    } else if (now - this.lastLog >= REPEAT_MS) {
      this.lastLog = now;
      this.logger.error(`Redis still unreachable after ${Math.round((now - this.downSince) / 1000)} s (${source}: ${message})`);
    }
  }

  ready(): void {
    if (this.downSince === undefined) return;
    this.logger.log(`Redis reachable again after ${Math.round((this.now() - this.downSince) / 1000)} s`);
    this.downSince = undefined;
  }
}
