/**
 * Runs `run` at most once at a time and hands its result to every caller: callers arriving while it runs
 * wait for it, and callers arriving less than `reuseMs` after it settled get it as well. `run` must not
 * reject (a rejection would be shared the same way).
 */
export class SharedResult<T> {
  private current: Promise<T> | undefined;
  private settledAt: number | undefined;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly reuseMs: number,
  ) {}

  get(): Promise<T> {
    const fresh = this.current !== undefined && (this.settledAt === undefined || performance.now() - this.settledAt < this.reuseMs);
    if (fresh) return this.current!;
    this.settledAt = undefined;
    const started = this.run().finally(() => {
      if (this.current === started) this.settledAt = performance.now();
    });
    this.current = started;
    return started;
  }
}
