export interface LinearTimeBounds {
  /** No single run may take longer, whatever the size. */
  ceilingMs: number;
  /** Allowed factor over linear growth (timers, caches and the rest of the machine). */
  slack: number;
  /** Allowed absolute excess over linear growth, for runs too short to compare. */
  noiseMs: number;
}

export interface LinearTimeResult {
  /** Input sizes and the time of one run at each (the fastest of a few). */
  timings: { size: number; ms: number }[];
  /** Why the growth is not linear, if it is not. */
  failure?: string;
}

const REPEATS = 3;

async function once(run: (input: string) => unknown, input: string): Promise<number> {
  const started = process.hrtime.bigint();
  await run(input);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Times `run` on `input(size)` for size = base, 2×base, 4×base. Growth must stay within `slack` of linear
 * (t(k·base) ≤ k·slack·t(base) + noise) and every run under the ceiling; a run over the ceiling ends the
 * measurement at once, so that a cubic pattern costs one slow run, not minutes.
 */
export async function measureGrowth(
  run: (input: string) => unknown,
  input: (size: number) => string,
  base: number,
  bounds: LinearTimeBounds,
): Promise<LinearTimeResult> {
  const timings: { size: number; ms: number }[] = [];
  await once(run, input(Math.ceil(base / 16))); // warm-up: compile the pattern and the code around it
  for (const factor of [1, 2, 4]) {
    const text = input(factor * base);
    let best = await once(run, text);
    if (best > bounds.ceilingMs) {
      timings.push({ size: text.length, ms: best });
      return { timings, failure: `${text.length} characters took ${best.toFixed(1)} ms (ceiling ${bounds.ceilingMs} ms)` };
    }
    for (let i = 1; i < REPEATS; i++) best = Math.min(best, await once(run, text));
    timings.push({ size: text.length, ms: best });
  }
  const first = timings[0]?.ms ?? 0;
  for (const [index, factor] of [2, 4].entries()) {
    const measured = timings[index + 1]?.ms ?? 0;
    const allowed = factor * bounds.slack * first + bounds.noiseMs;
    if (measured > allowed) {
      return {
        timings,
        failure: `${factor}× the input took ${(measured / first).toFixed(1)}× the time (${measured.toFixed(2)} ms > ${allowed.toFixed(2)} ms)`,
      };
    }
  }
  return { timings };
}
