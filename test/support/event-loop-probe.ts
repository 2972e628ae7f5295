import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { LOOP_DELAY_QUESTION, LOOP_DELAY_RESTART, type LoopDelayReport } from './event-loop-delay';

/*
 * Preloaded (`-r`) into a server child process spawned with an IPC channel: measures the process's
 * event-loop delay and answers LOOP_DELAY_QUESTION (or LOOP_DELAY_RESTART) with a LoopDelayReport.
 * Does nothing without a channel.
 */

const RESOLUTION_MS = 10;

function ms(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.send) {
  const total: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  total.enable();
  // The largest delay since the last question, from a timer of our own: a reset histogram skips the delay
  // up to its next tick, which loses a stall that starts right after the question.
  let windowMaxMs = 0;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    windowMaxMs = Math.max(windowMaxMs, now - last - RESOLUTION_MS);
    last = now;
  }, RESOLUTION_MS).unref();
  process.on('message', (message) => {
    if (message !== LOOP_DELAY_QUESTION && message !== LOOP_DELAY_RESTART) return;
    // Two timer turns first: after a stall, the first may run (on the stale loop time) before the overdue
    // measuring timers; by the second, they have recorded the stall.
    setTimeout(() => {
      setTimeout(() => {
        const report: LoopDelayReport = {
          total: { p99Ms: ms(total.percentile(99) / 1e6), maxMs: ms(total.max / 1e6), samples: total.count },
          sinceLastMaxMs: ms(windowMaxMs),
        };
        process.send?.(report);
        windowMaxMs = 0;
        if (message === LOOP_DELAY_RESTART) total.reset();
      }, 1);
    }, 1);
  });
  // The channel must not keep the server alive after its shutdown.
  process.channel?.unref();
}
