import type { JobsOptions } from 'bullmq';
import { WebhookEvent } from 'livekit-server-sdk';
import type { VerifiedWebhookDelivery } from '../webhook/interfaces/verified-delivery.interface';
import type { ResolvedWebhookQueueOptions } from './resolved-webhook-queue-options';

/** What a queued event stores: the exact verified body, never a re-serialization. */
export interface WebhookJobData {
  /** The verified body, as UTF-8 JSON text. */
  body: string;
  /** API key that signed it. */
  apiKey: string;
  /** The event id the job is deduplicated by (the event `id`, or `sha256:…` of the body). */
  eventId: string;
  /** When the webhook was acknowledged, epoch ms. */
  receivedAt: number;
}

/** What a failed attempt leaves on the job, so that the next one runs only the handlers that failed. */
export interface WebhookJobProgress {
  done: string[];
}

/**
 * The BullMQ job id of an event id. BullMQ refuses ids that contain ':' or that read as integers, so
 * this percent-encodes '%' and ':' (and the first character of an integer-looking id): it is one-to-one,
 * and LiveKit's ids (`EV_…`) stay as they are.
 */
export function toJobId(eventId: string): string {
  const escaped = eventId.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));
  if (`${parseInt(escaped, 10)}` !== escaped) return escaped;
  return `%${escaped.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}${escaped.slice(1)}`;
}

/** The event id of a job id made by {@link toJobId}. */
export function fromJobId(jobId: string): string {
  return jobId.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function toJobData(delivery: VerifiedWebhookDelivery, now = Date.now()): WebhookJobData {
  return { body: delivery.rawBody.toString('utf8'), apiKey: delivery.apiKey, eventId: delivery.dedupeKey, receivedAt: now };
}

/** Rebuilds the typed event from the stored body, as the webhook route parsed it. */
export function eventOf(data: WebhookJobData): WebhookEvent {
  return WebhookEvent.fromJson(JSON.parse(data.body) as never, { ignoreUnknownFields: true });
}

export function doneHandlersOf(progress: unknown): Set<string> {
  const done = (progress as Partial<WebhookJobProgress> | null | undefined)?.done;
  return new Set(Array.isArray(done) ? done.filter((id): id is string => typeof id === 'string') : []);
}

/** Options of every queued event: retries with exponential backoff, processed ids kept for deduplication, dead letters kept. */
export function webhookJobOptions(options: ResolvedWebhookQueueOptions): JobsOptions {
  return {
    attempts: options.attempts,
    backoff: { type: 'exponential', delay: options.backoffDelayMs },
    removeOnComplete: { age: options.keepCompletedSeconds, count: options.keepCompletedCount },
    removeOnFail: false,
  };
}
