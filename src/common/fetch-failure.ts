/** Name and message of an error of any realm (fetch's errors do not always share this realm's classes). */
function describe(error: unknown): { name?: unknown; message?: unknown; cause?: unknown } {
  return typeof error === 'object' && error !== null ? error : {};
}

/** A request's `AbortSignal.timeout` fired (a `DOMException` named TimeoutError). */
export function isFetchTimeout(error: unknown): boolean {
  const { name } = describe(error);
  return name === 'TimeoutError' || name === 'AbortError';
}

/** `fetch` rejects with `TypeError('fetch failed')` (cause: ECONNREFUSED, DNS…) when nothing answers. */
export function isFetchTransportFailure(error: unknown): boolean {
  const { name, message } = describe(error);
  return name === 'TypeError' && message === 'fetch failed';
}

/** Why `fetch` failed: the `cause`'s code (ECONNREFUSED, ENOTFOUND…) or message, else the error's message. */
export function fetchFailureCause(error: unknown): string {
  const cause = describe(describe(error).cause) as { code?: unknown; message?: unknown };
  if (typeof cause.code === 'string') return cause.code;
  if (typeof cause.message === 'string') return cause.message;
  const { message } = describe(error);
  return typeof message === 'string' ? message : String(error);
}
