import { DeliveryLedger } from './delivery-ledger';

describe('DeliveryLedger', () => {
  it('returns the same progress for the same key', () => {
    const ledger = new DeliveryLedger();
    const progress = ledger.progressOf('EV_1');
    progress.done.add('h');
    expect(ledger.progressOf('EV_1').done.has('h')).toBe(true);
  });

  it('forgets an entry after its ttl', () => {
    let now = 0;
    const ledger = new DeliveryLedger(10, 1000, () => now);
    ledger.progressOf('EV_1').complete = true;
    now = 999;
    expect(ledger.progressOf('EV_1').complete).toBe(true);
    now = 2000;
    expect(ledger.progressOf('EV_1').complete).toBe(false);
  });

  it('stays bounded, forgetting the oldest settled entries but never running ones', () => {
    const ledger = new DeliveryLedger(2);
    ledger.progressOf('running').running.set('h', Promise.resolve());
    ledger.progressOf('a');
    ledger.progressOf('b');
    ledger.progressOf('c');
    expect(ledger.size).toBe(2);
    expect(ledger.progressOf('running').running.size).toBe(1);
  });
});
