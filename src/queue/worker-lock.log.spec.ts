import { Logger } from '@nestjs/common';
import { lostLockJobId, WorkerLockLog } from './worker-lock.log';

describe('WorkerLockLog', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void lines.push(`warn ${String(message)}`));
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void lines.push(`log ${String(message)}`));
  });
  afterEach(() => jest.restoreAllMocks());

  it("recognises BullMQ's lost-lock errors, and only those", () => {
    expect(lostLockJobId(new Error('Missing lock for job EV_a.b. moveToFinished'))).toBe('EV_a.b');
    expect(lostLockJobId(new Error('Lock mismatch for job EV_c. Cmd moveToFinished from active'))).toBe('EV_c');
    expect(lostLockJobId(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBeUndefined();
    expect(lostLockJobId('Missing lock for job x. y')).toBeUndefined();
  });

  it('does not claim that an instance died when its own connection just broke', () => {
    let now = 1_000_000;
    const connection: { brokeAt?: number } = {};
    const log = new WorkerLockLog(
      6000,
      () => ({ getJobState: () => Promise.resolve('wait') }),
      () => connection.brokeAt,
    );
    log.now = () => now;
    log.stalled('EV_1');
    connection.brokeAt = now;
    now += 4000;
    log.stalled('EV_2');
    now += 10_000;
    log.stalled('EV_3');
    expect(lines).toEqual([
      'warn event EV_1 was put back in the queue after its lock expired: the instance that held it stopped, or lost its connection to Redis just as it took the event',
      "warn event EV_2 was put back in the queue after its lock expired: the instance that held it stopped, or lost its connection to Redis just as it took the event; this instance's own connection to Redis broke 4 s ago, so it may be one Redis handed to it then",
      'warn event EV_3 was put back in the queue after its lock expired: the instance that held it stopped, or lost its connection to Redis just as it took the event',
    ]);
  });

  it('explains a repeated completion write from the state Redis holds, once per event', async () => {
    const states: Record<string, string> = { EV_done: 'completed', EV_lost: 'active' };
    const log = new WorkerLockLog(
      6000,
      () => ({ getJobState: (id: string) => Promise.resolve(states[id] ?? 'unknown') }),
      () => undefined,
    );
    await log.lostLock('EV_done', new Error('Missing lock for job EV_done. moveToFinished'));
    await log.lostLock('EV_done', new Error('Missing lock for job EV_done. moveToFinished'));
    await log.lostLock('EV_lost', new Error('Missing lock for job EV_lost. moveToFinished'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^log event EV_done: its outcome was already recorded \(completed\).*nothing ran twice$/);
    expect(lines[1]).toMatch(/^warn event EV_lost was no longer this instance's.*now active.*may run it again$/);
  });
});
