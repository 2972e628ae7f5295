/** What the console shows of a webhook handler's run on a delivery. */
export interface LiveKitConsoleHandlerRun {
  handler: string;
  ok: boolean;
  /** Run time in milliseconds. */
  ms: number;
  /** The error's message (bounded), when it threw. */
  error?: string;
  at: string;
}

/** How a delivery ended, as the Webhooks page filters it. */
export type LiveKitConsoleDeliveryOutcome = 'refused' | 'running' | 'processed' | 'duplicate' | 'queued' | 'failed';

/** One webhook delivery as the console's Webhooks page shows it. Nothing in it is a token, a signature or a secret. */
export interface LiveKitConsoleDelivery {
  /** Position in the log, increasing. */
  seq: number;
  /**
   * Increases with every change of any delivery: of two copies of one delivery (the list and a live update
   * can cross on the wire), the one with the higher revision is the newer.
   */
  revision: number;
  receivedAt: string;
  verification: 'verified' | 'refused';
  outcome: LiveKitConsoleDeliveryOutcome;
  /** The HTTP status answered, once answered. */
  status?: number;
  /** The refusal's reason (`invalid_signature`, `hash_mismatch`, `body_too_large`…) and sanitised detail. */
  reason?: string;
  detail?: string;
  /** The event id (or the body's sha256 when it has none). */
  id?: string;
  event?: string;
  room?: string;
  participant?: string;
  track?: string;
  /** A redelivery of an event already processed: acknowledged without running handlers. */
  duplicate: boolean;
  /** Sent by the console's "send test event". */
  test: boolean;
  handlers: LiveKitConsoleHandlerRun[];
}
