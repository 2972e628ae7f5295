import { randomUUID } from 'node:crypto';
import { LOOPBACK } from './free-port';
import type { ServerProcess } from './spawn-server';
import { waitFor } from './spawn-server';
import { signWebhook, type SignedWebhook, webhookBody } from './webhook-signer';
import { TEST_API_KEY, TEST_API_SECRET } from './standalone-app';

/** LiveKit Server's webhook retry delays after a failed attempt (as seen in the fault run): 1, 2, 4, 8 s, then 8 s. */
export const LIVEKIT_BACKOFF_MS = [1000, 2000, 4000, 8000, 8000, 8000];

/** The fate of one event sent LiveKit's way: every answer in order (0 = no answer), and when it was acknowledged. */
export interface Delivery {
  id: string;
  statuses: number[];
  acknowledgedAt?: number;
}

export function signedEvents(count: number): Promise<SignedWebhook[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      signWebhook(TEST_API_KEY, TEST_API_SECRET, webhookBody('participant_joined', { id: `EV_${randomUUID()}` })),
    ),
  );
}

/** Posts a signed webhook to the standalone server's route; 0 when it did not answer (connection refused, timeout). */
export async function postOnce(port: number, signed: SignedWebhook, timeoutMs = 5000): Promise<number> {
  try {
    const response = await fetch(`http://${LOOPBACK}:${port}/livekit/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', authorization: signed.authorization },
      body: signed.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.text();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * Sends `events` as LiveKit does: `lanes` at a time, each retried with {@link LIVEKIT_BACKOFF_MS} until it is
 * answered 200 or the retries run out. `deliveries` fill in as answers come; `done` resolves once all are settled.
 */
export function sendLikeLiveKit(
  port: number,
  events: readonly SignedWebhook[],
  lanes: number,
  /** Pause of each lane between two events, so that a burst lasts long enough on a fast machine. */
  paceMs = 0,
): { deliveries: Map<string, Delivery>; done: Promise<void> } {
  const deliveries = new Map<string, Delivery>(events.map((event) => [event.id, { id: event.id, statuses: [] }]));
  let next = 0;
  const done = Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < events.length) {
        if (paceMs > 0 && next >= lanes) {
          await new Promise((resolve) => setTimeout(resolve, paceMs));
          if (next >= events.length) break;
        }
        const event = events[next++] as SignedWebhook;
        const delivery = deliveries.get(event.id) as Delivery;
        for (let attempt = 0; attempt <= LIVEKIT_BACKOFF_MS.length; attempt++) {
          const status = await postOnce(port, event);
          delivery.statuses.push(status);
          if (status === 200) {
            delivery.acknowledgedAt = Date.now();
            break;
          }
          const delay = LIVEKIT_BACKOFF_MS[attempt];
          if (delay === undefined) break;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    }),
  ).then(() => undefined);
  return { deliveries, done };
}

/** Ids answered 200 so far. */
export function acknowledged(deliveries: Map<string, Delivery>): string[] {
  return [...deliveries.values()].filter((d) => d.acknowledgedAt !== undefined).map((d) => d.id);
}

/** Samples `GET path` every `everyMs` until stopped: what readiness said during a failover. */
export function sampleEndpoint(
  port: number,
  path: string,
  everyMs: number,
): { samples: { status: number; body: string }[]; stop: () => Promise<void> } {
  const samples: { status: number; body: string }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push(await getText(port, path));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Event ids in the standalone server's event log lines (context LiveKitEvent), with how many times each appears. */
export function handledIds(server: ServerProcess): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of server.output().split('\n')) {
    if (!line.includes('"LiveKitEvent"')) continue;
    try {
      const parsed = JSON.parse(line) as { context?: string; id?: string };
      if (parsed.context === 'LiveKitEvent' && parsed.id) counts.set(parsed.id, (counts.get(parsed.id) ?? 0) + 1);
    } catch {
      // a partial line at the end of the output: read again at the next poll
    }
  }
  return counts;
}

/** GET on the server; status and body, 0 when it did not answer. */
export async function getText(port: number, path: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`http://${LOOPBACK}:${port}${path}`, { signal: AbortSignal.timeout(5000) });
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/** Waits until the server's event log has every one of `ids`, or the deadline passes (the caller then reports what is missing). */
export async function waitForHandled(server: ServerProcess, ids: Iterable<string>, timeoutMs: number): Promise<void> {
  const wanted = [...ids];
  await waitFor(() => wanted.every((id) => handledIds(server).has(id)), timeoutMs, 'every event in the event log').catch(() => undefined);
}

/** Waits until the server's queue depth metric reads 0 and its event log stopped growing for `quietMs`. */
export async function waitUntilDrained(server: ServerProcess, quietMs: number, timeoutMs: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  await waitFor(
    async () => {
      const seen = handledIds(server).size;
      if (seen !== last) {
        last = seen;
        since = Date.now();
        return false;
      }
      const metrics = await getText(server.port, '/metrics');
      return /^livekit_webhook_queue_depth 0$/m.test(metrics.body) && Date.now() - since >= quietMs;
    },
    timeoutMs,
    'the queue to drain',
  );
}
