import { CompletedEvents } from './completed-events';

describe('CompletedEvents', () => {
  it('answers when a key completed, and forgets the oldest first', () => {
    const events = new CompletedEvents();
    events.add('a', 1);
    events.add('b', 2);
    events.add('c', 3);
    expect(events.completedAt('b')).toBe(2);
    expect(events.deleteOldest()).toBe(true);
    expect(events.completedAt('a')).toBeUndefined();
    expect(events.completedAt('b')).toBe(2);
    expect(events.size).toBe(2);
  });

  it('skips the records of deleted and re-added keys', () => {
    const events = new CompletedEvents();
    events.add('a', 1);
    events.add('b', 2);
    events.delete('a');
    events.add('b', 5); // re-added: its first record is stale
    events.add('c', 6);
    expect(events.deleteOldest()).toBe(true); // b, at 5 (a and b's first record are skipped)
    expect(events.completedAt('b')).toBeUndefined();
    expect(events.completedAt('c')).toBe(6);
    expect(events.deleteOldest()).toBe(true);
    expect(events.deleteOldest()).toBe(false);
    expect(events.size).toBe(0);
  });

  it('deletes the entries completed up to a time, and stops at the first one kept', () => {
    const events = new CompletedEvents();
    for (let t = 0; t < 10; t += 1) events.add(`k${t}`, t);
    events.deleteUpTo(4);
    expect(events.size).toBe(5);
    expect(events.completedAt('k4')).toBeUndefined();
    expect(events.completedAt('k5')).toBe(5);
  });

  it('stays right across the compactions of a long run', () => {
    const events = new CompletedEvents();
    const live: string[] = [];
    for (let i = 0; i < 50_000; i += 1) {
      events.add(`k${i}`, i);
      live.push(`k${i}`);
      if (i % 7 === 3) events.delete(live.splice(live.length - 2, 1)[0] as string);
      while (events.size > 1000) {
        expect(events.deleteOldest()).toBe(true);
        live.shift();
      }
    }
    expect(events.size).toBe(live.length);
    for (const key of live) expect(events.completedAt(key)).toBe(Number(key.slice(1)));
  });
});
