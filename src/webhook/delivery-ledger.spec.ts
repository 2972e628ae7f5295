import { DeliveryLedger } from './delivery-ledger';
import { LiveKitWebhookBusyException } from './livekit-webhook.errors';

/** A handler run the test settles itself. */
function pendingRun(): { run: Promise<void>; finish: () => void; fail: () => void } {
  let finish = () => undefined as void;
  let fail = () => undefined as void;
  const run = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = () => reject(new Error('handler failed'));
  });
  return { run, finish, fail };
}

/** Lets the ledger see the settlement of the runs finished so far. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('DeliveryLedger', () => {
  let now: number;
  const ledger = (maxEntries = 10, ttlMs = 1000) => new DeliveryLedger(maxEntries, ttlMs, () => now);
  beforeEach(() => (now = 0));

  it('returns the same progress for the same key', () => {
    const l = ledger();
    l.progressOf('EV_1').done.add('h');
    expect(l.progressOf('EV_1').done.has('h')).toBe(true);
  });

  it('forgets a settled entry after its ttl, counted from when its last handler settled', async () => {
    const l = ledger();
    const { run, finish } = pendingRun();
    l.progressOf('EV_1');
    l.track('EV_1', 'h', run);
    now = 5000;
    finish();
    await settle();
    l.markComplete('EV_1');
    now = 5999;
    expect(l.progressOf('EV_1').complete).toBe(true);
    now = 6000;
    expect(l.progressOf('EV_1').complete).toBe(false);
  });

  it('never replaces an entry whose handler still runs, however far past the ttl', async () => {
    const l = ledger(10, 1000);
    const { run, fail } = pendingRun();
    l.progressOf('EV_hang');
    l.track('EV_hang', 'h', run);
    now = 60 * 60_000;
    for (let i = 0; i < 50; i += 1) l.progressOf(`EV_${i}`);
    expect(l.progressOf('EV_hang').running.get('h')).toBe(run);
    fail();
    await settle();
    // Settled (here: failed), it is kept for a ttl, and the retry finds it: only the failed handler runs again.
    expect(l.progressOf('EV_hang').running.size).toBe(0);
    expect(l.runningSize).toBe(0);
  });

  it('evicts the oldest settled entries first, never a running one', () => {
    const l = ledger(3, 60_000);
    l.progressOf('running');
    l.track('running', 'h', pendingRun().run);
    l.progressOf('a');
    l.markComplete('a');
    l.progressOf('b');
    l.markComplete('b');
    l.progressOf('c');
    expect(l.size).toBe(3);
    expect(l.progressOf('b').complete).toBe(true);
    expect(l.progressOf('a').complete).toBe(false); // evicted: a new entry, which evicts b in turn
    expect(l.progressOf('running').running.size).toBe(1);
    expect(l.size).toBe(3);
  });

  it('evicts completed events before one whose handler failed and awaits its retry', async () => {
    const l = ledger(3, 60_000);
    const failing = pendingRun();
    const failed = l.progressOf('failed');
    l.track('failed', 'h', failing.run);
    failing.fail();
    await settle();
    l.progressOf('done');
    l.markComplete('done');
    l.progressOf('new');
    l.progressOf('newer');
    expect(l.progressOf('failed')).toBe(failed); // kept, though older than the completed one
    expect(l.progressOf('done').complete).toBe(false); // evicted: a new entry
    expect(l.size).toBe(3);
  });

  it('refuses a new event when every entry has a running handler, and takes it once one settles', async () => {
    const l = ledger(2, 60_000);
    const first = pendingRun();
    l.progressOf('EV_1');
    l.track('EV_1', 'h', first.run);
    l.progressOf('EV_2');
    l.track('EV_2', 'h', pendingRun().run);
    expect(() => l.progressOf('EV_3')).toThrow(LiveKitWebhookBusyException);
    // The redelivery of a running event still finds it.
    expect(l.progressOf('EV_1').running.get('h')).toBe(first.run);
    expect(l.size).toBe(2);
    first.finish();
    await settle();
    expect(() => l.progressOf('EV_3')).not.toThrow();
    expect(l.size).toBe(2);
  });

  it('keeps the cost of an insert flat however many handlers hang (counting map steps, not time)', () => {
    const proto = Object.getPrototypeOf(new Map<never, never>().entries()) as { next: () => unknown };
    const steps = (work: () => void) => {
      const next = jest.spyOn(proto, 'next');
      try {
        work();
        return next.mock.calls.length;
      } finally {
        next.mockRestore();
      }
    };
    const inserts = (l: DeliveryLedger, from: number) => () => {
      for (let i = from; i < from + 1000; i += 1) l.progressOf(`EV_new_${i}`);
    };
    const withHanging = (hanging: number) => {
      const l = ledger(hanging + 100, 60_000);
      for (let i = 0; i < hanging; i += 1) {
        l.progressOf(`EV_hang_${i}`);
        l.track(`EV_hang_${i}`, 'h', pendingRun().run);
      }
      inserts(l, 0)(); // fill the rest, so that every further insert evicts
      return l;
    };
    const few = withHanging(10);
    const many = withHanging(5000);
    const fewSteps = steps(inserts(few, 1000));
    const manySteps = steps(inserts(many, 1000));
    expect(fewSteps).toBeGreaterThan(0);
    expect(manySteps).toBe(fewSteps);
    expect(manySteps).toBeLessThanOrEqual(3 * 1000);
  });
});
