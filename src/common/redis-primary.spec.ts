import { clusterSlotOf } from './redis-primary';

describe('clusterSlotOf', () => {
  it.each([
    // Values of CLUSTER KEYSLOT on Redis 7.
    ['123456789', 12739],
    ['foo', 12182],
    ['{user1000}.following', clusterSlotOf('user1000')],
    ['{bull}:livekit-webhooks:id', clusterSlotOf('bull')],
    ['foo{}{bar}', clusterSlotOf('foo{}{bar}')],
  ])('%j → slot %i', (key, slot) => {
    expect(clusterSlotOf(key)).toBe(slot);
  });

  it('puts every key of a queue with a braced prefix in one slot, and spreads an unbraced one', () => {
    const braced = ['wait', 'active', 'meta', 'events', 'EV_1'].map((suffix) => clusterSlotOf(`{lk-webhooks}:q:${suffix}`));
    expect(new Set(braced).size).toBe(1);
    const plain = ['wait', 'active', 'meta', 'events', 'EV_1'].map((suffix) => clusterSlotOf(`lk-webhooks:q:${suffix}`));
    expect(new Set(plain).size).toBeGreaterThan(1);
  });
});
