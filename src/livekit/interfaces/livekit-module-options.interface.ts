import type { VideoGrant } from 'livekit-server-sdk';

/** Options of {@link LiveKitModule}: the credentials and limits every LiveKit feature module reads. */
export interface LiveKitModuleOptions {
  /**
   * API key used to sign access tokens, and accepted on webhooks.
   * Optional when `keys` is given: its first entry is then the signing key.
   */
  apiKey?: string;
  /** Secret of `apiKey`. */
  apiSecret?: string;
  /**
   * Every `key → secret` pair accepted on webhooks (key rotation), as livekit-server's `keys`.
   * @default {}
   */
  keys?: Record<string, string>;
  /**
   * LiveKit server URL handed to clients by the standard token endpoint.
   * @default 'ws://localhost:7880'
   */
  url?: string;
  /**
   * Lifetime of issued access tokens, in seconds or as a duration string (`'6h'`, `'10m'`).
   * @default '6h'
   */
  tokenTtl?: number | string;
  /**
   * Grants given to every token by the default policy, besides `roomJoin` and `room`.
   * @default { canPublish: true, canSubscribe: true, canPublishData: true }
   */
  defaultGrants?: Omit<VideoGrant, 'room' | 'roomJoin'>;
  /**
   * Largest token request body, in bytes. A request to the token routes declaring a larger `Content-Length`
   * gets 413 before any body parser (yours included) reads it; chunked bodies are limited by your parser.
   * @default 65536
   */
  tokenBodyLimit?: number;
  /**
   * Largest webhook body read, in bytes; larger bodies get 413. A request to the webhook routes declaring a
   * larger `Content-Length` gets it before any body parser reads it.
   * @default 1048576
   */
  webhookBodyLimit?: number;
  /**
   * Clock skew tolerated when checking a webhook token's `exp` and `nbf`, in seconds.
   * @default 10
   */
  webhookClockToleranceSeconds?: number;
  /**
   * How long a webhook request waits for its handlers before answering 503 so that LiveKit retries, in ms.
   * Keep it well under LiveKit's 30 s queue age.
   * @default 5000
   */
  webhookHandlerTimeoutMs?: number;
  /**
   * Events the in-process duplicate ledger remembers (inline mode), so that a redelivery runs only the
   * handlers that did not succeed. When full, the oldest settled event is forgotten; when every remembered
   * event still has a running handler, a new event is answered 503 (LiveKit retries) instead.
   * @default 10000
   */
  webhookDedupeMaxEntries?: number;
  /**
   * How long a settled event stays in the duplicate ledger, in ms, counted from the moment its last handler
   * settled; an event whose handlers are still running is never forgotten. Keep it well over LiveKit's retry
   * window (a few attempts over about 15 s).
   * @default 900000 (15 minutes)
   */
  webhookDedupeTtlMs?: number;
}
