import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { LOOP_DELAY_QUESTION, LOOP_DELAY_RESTART, type LoopDelayReport } from './event-loop-delay';

/*
 * Preloaded (`-r`) into a server child process spawned with an IPC channel: measures the process's
 * event-loop delay and answers LOOP_DELAY_QUESTION (or LOOP_DELAY_RESTART) with a LoopDelayReport.
 * Does nothing without a channel.
 */

const RESOLUTION_MS = 10;

function ms(nanoseconds: number): number {
  return Math.round(nanoseconds / 1e4) / 100;
}

function report(total: IntervalHistogram, recent: IntervalHistogram): LoopDelayReport {
  return {
    total: { p99Ms: ms(total.percentile(99)), maxMs: ms(total.max), samples: total.count },
    sinceLastMaxMs: ms(recent.max),
  };
}

if (process.send) {
  const total = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const recent = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  total.enable();
  recent.enable();
  process.on('message', (message) => {
    if (message !== LOOP_DELAY_QUESTION && message !== LOOP_DELAY_RESTART) return;
    // A timer turn first: the histograms' own timer, overdue after a stall, runs before this one.
    setTimeout(() => {
      process.send?.(report(total, recent));
      recent.reset();
      if (message === LOOP_DELAY_RESTART) total.reset();
    }, 1);
  });
  // The channel must not keep the server alive after its shutdown.
  process.channel?.unref();
}
