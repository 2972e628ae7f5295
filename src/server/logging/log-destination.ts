import pino from 'pino';

/** Log output is written in blocks of at least this many bytes (about a dozen request lines)… */
export const LOG_BLOCK_BYTES = 4096;
/** …or every this many milliseconds, whichever comes first. */
export const LOG_FLUSH_INTERVAL_MS = 100;

/** What a buffering destination offers beyond `write`: sonic-boom's synchronous flush and its block size. */
interface BufferingDestination {
  flushSync(): void;
  minLength: number;
}

/**
 * The standalone server's stdout: lines are buffered and written synchronously in blocks of
 * {@link LOG_BLOCK_BYTES} or every {@link LOG_FLUSH_INTERVAL_MS} ms, and written out at exit and once the
 * app starts shutting down (see {@link writeThrough}).
 * - Memory stays bounded: a block is written before the next line is taken, so a stdout that does not keep
 *   up slows the server down (as a full pipe does any writer) instead of piling lines up in memory.
 * - Why blocks: a write per line is a system call (or a thread-pool round trip) per line, the largest cost
 *   of logging under load (bench/, ablation of the request and event lines).
 * - What a crash costs: a process killed with SIGKILL (or by the OOM killer) loses the lines of its last
 *   block, at most {@link LOG_BLOCK_BYTES} bytes written in the last {@link LOG_FLUSH_INTERVAL_MS} ms.
 *   SIGTERM and SIGINT (shutdown hooks) and a normal exit lose nothing.
 */
export function createStdoutLogDestination(): pino.DestinationStream {
  const destination = pino.destination({ dest: 1, sync: true, minLength: LOG_BLOCK_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS });
  process.once('exit', () => writeThrough(destination));
  return destination;
}

/**
 * Writes out what `destination` buffers, and every later line at once. Called when shutdown starts: a process
 * stopped by a signal dies of it right after the shutdown hooks, without an `exit` event. Never throws (stdout
 * may be gone by then); does nothing to a destination that does not buffer.
 */
export function writeThrough(destination: unknown): void {
  const buffering = destination as Partial<BufferingDestination> | undefined;
  if (typeof buffering?.flushSync !== 'function' || typeof buffering.minLength !== 'number') return;
  buffering.minLength = 0;
  try {
    buffering.flushSync();
  } catch {
    // Nowhere left to report it: the stream the report would go to is the one that failed.
  }
}
