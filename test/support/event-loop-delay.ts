import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Preload this (`-r`) into a server child process spawned with an IPC channel to measure its event loop. */
export const EVENT_LOOP_PROBE = join(__dirname, 'event-loop-probe.ts');

/** The question the probe answers with a {@link LoopDelayReport}. */
export const LOOP_DELAY_QUESTION = 'event-loop-delay?';
/** The same question, after which the probe also starts its whole-run figures afresh (after the boot, say). */
export const LOOP_DELAY_RESTART = 'event-loop-delay? and restart';

export interface LoopDelayReport {
  /** Since the process started. */
  total: { p99Ms: number; maxMs: number; samples: number };
  /** Largest delay since the previous question. */
  sinceLastMaxMs: number;
}

/** The probe's report, or undefined when the child does not answer within `timeoutMs` (its loop is blocked). */
export function askLoopDelay(child: ChildProcess, timeoutMs: number, question = LOOP_DELAY_QUESTION): Promise<LoopDelayReport | undefined> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as LoopDelayReport);
    };
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      resolve(undefined);
    }, timeoutMs);
    child.on('message', onMessage);
    child.send(question);
  });
}
