import { SharedResult } from './shared-result';

/** A run whose calls are counted and which settles only when `release` is called. */
function gatedRun(): { run: () => Promise<number>; calls: () => number; release: () => void } {
  let calls = 0;
  let release = () => {};
  return {
    run: () => {
      calls += 1;
      const call = calls;
      return new Promise<number>((resolve) => (release = () => resolve(call)));
    },
    calls: () => calls,
    release: () => release(),
  };
}

describe('SharedResult', () => {
  it('makes one call for every caller that arrives while it runs', async () => {
    const gate = gatedRun();
    const shared = new SharedResult(gate.run, 0);
    const waiting = [shared.get(), shared.get(), shared.get()];
    expect(gate.calls()).toBe(1);
    gate.release();
    await expect(Promise.all(waiting)).resolves.toEqual([1, 1, 1]);
  });

  it('reuses a settled result within reuseMs', async () => {
    let calls = 0;
    const shared = new SharedResult(() => Promise.resolve(++calls), 60_000);
    await expect(shared.get()).resolves.toBe(1);
    await expect(shared.get()).resolves.toBe(1);
  });

  it('calls again once the result is older than reuseMs', async () => {
    let calls = 0;
    const shared = new SharedResult(() => Promise.resolve(++calls), 0);
    await expect(shared.get()).resolves.toBe(1);
    await expect(shared.get()).resolves.toBe(2);
    await expect(shared.get()).resolves.toBe(3);
  });
});
