import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What we accept from a caller as a request id: UUIDs, ULIDs, trace ids; nothing that could forge a log line. */
const ACCEPTED_REQUEST_ID = /^[\w.:@=/+-]{1,200}$/;

/**
 * The request's id: the caller's `X-Request-Id` when it is a plausible id (a proxy or client correlates
 * with it), a new UUID otherwise.
 */
export function resolveRequestId(req: Pick<IncomingMessage, 'headers'>): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && ACCEPTED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
