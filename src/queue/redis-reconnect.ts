/** Reconnects quickly (after 0.1 s, 0.2 s … then every second) so that the queue recovers within a second of Redis returning. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * attempt, 1000);
}
