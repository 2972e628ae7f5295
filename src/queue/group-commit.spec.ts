import { GroupCommit } from './group-commit';

/** A store written in batches that the test completes or fails by hand; like Redis, it keeps the first item of a key. */
class ManualStore {
  readonly batches: string[][] = [];
  readonly stored = new Map<string, string>();
  private readonly open: Array<{ items: string[]; resolve: () => void; reject: (error: Error) => void }> = [];

  readonly write = (items: string[]): Promise<void> => {
    this.batches.push(items);
    return new Promise((resolve, reject) => this.open.push({ items, resolve, reject }));
  };

  /** Completes the oldest write still in flight. */
  async complete(): Promise<void> {
    const write = this.open.shift();
    if (!write) throw new Error('no write in flight');
    for (const item of write.items) {
      const key = keyOf(item);
      if (!this.stored.has(key)) this.stored.set(key, item);
    }
    write.resolve();
    await settle();
  }

  async fail(error: Error): Promise<void> {
    const write = this.open.shift();
    if (!write) throw new Error('no write in flight');
    write.reject(error);
    await settle();
  }

  get inFlight(): number {
    return this.open.length;
  }
}

const keyOf = (item: string): string => item.split('#')[0] as string;
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Records how each submission settled. */
function track(promise: Promise<void>): { state: 'pending' | 'written' | Error } {
  const outcome: { state: 'pending' | 'written' | Error } = { state: 'pending' };
  promise.then(
    () => (outcome.state = 'written'),
    (error: Error) => (outcome.state = error),
  );
  return outcome;
}

describe('GroupCommit', () => {
  let store: ManualStore;
  let commit: GroupCommit<string>;
  beforeEach(() => {
    store = new ManualStore();
    commit = new GroupCommit(store.write, { maxBatchSize: 3, keyOf });
  });

  it('writes the first item of an idle period at once, alone, and resolves only when its write did', async () => {
    const first = track(commit.submit('a'));
    expect(store.batches).toEqual([['a']]); // synchronously: no timer, no tick
    await settle();
    expect(first.state).toBe('pending');
    await store.complete();
    expect(first.state).toBe('written');
    expect(store.stored.get('a')).toBe('a');
  });

  it('coalesces the items that arrive during a write into the next write, sent as soon as it returns', async () => {
    const a = track(commit.submit('a'));
    const b = track(commit.submit('b'));
    const c = track(commit.submit('c'));
    expect(store.batches).toEqual([['a']]);
    expect(store.inFlight).toBe(1);
    await store.complete();
    expect([a.state, b.state, c.state]).toEqual(['written', 'pending', 'pending']);
    expect(store.batches).toEqual([['a'], ['b', 'c']]);
    await store.complete();
    expect([b.state, c.state]).toEqual(['written', 'written']);
    // Idle again: the next item goes at once.
    commit.submit('d').catch(() => undefined);
    expect(store.batches.at(-1)).toEqual(['d']);
  });

  it('never writes more than maxBatchSize items at once, nor more than one write at a time', async () => {
    const all = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((item) => track(commit.submit(item)));
    while (store.inFlight > 0) {
      expect(store.inFlight).toBe(1);
      await store.complete();
    }
    expect(store.batches).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f', 'g'], ['h']]);
    expect(all.every((o) => o.state === 'written')).toBe(true);
  });

  it('allows maxInFlight writes at once', async () => {
    commit = new GroupCommit(store.write, { maxBatchSize: 2, maxInFlight: 2 });
    const all = ['a', 'b', 'c', 'd'].map((item) => track(commit.submit(item)));
    expect(store.batches).toEqual([['a'], ['b']]);
    await store.complete();
    expect(store.batches).toEqual([['a'], ['b'], ['c', 'd']]);
    await store.complete();
    await store.complete();
    expect(all.every((o) => o.state === 'written')).toBe(true);
  });

  it('rejects every item of a failed write with its error, and writes the next batch as usual', async () => {
    const a = track(commit.submit('a'));
    const b = track(commit.submit('b'));
    const c = track(commit.submit('c'));
    const refused = new Error('Redis unreachable');
    await store.fail(refused);
    expect(a.state).toBe(refused);
    expect([b.state, c.state]).toEqual(['pending', 'pending']);
    await store.fail(refused);
    expect([b.state, c.state]).toEqual([refused, refused]);
    const d = track(commit.submit('d'));
    await store.complete();
    expect(d.state).toBe('written');
    expect([...store.stored.keys()]).toEqual(['d']);
  });

  it('turns a write that throws synchronously into a rejection of its items', async () => {
    const throwing = new GroupCommit<string>(
      () => {
        throw new Error('bad job');
      },
      { maxBatchSize: 3 },
    );
    await expect(throwing.submit('a')).rejects.toThrow('bad job');
    await expect(throwing.submit('b')).rejects.toThrow('bad job');
  });

  it('writes a key submitted twice before its write once, and both submissions share its outcome', async () => {
    commit.submit('x').catch(() => undefined); // in flight: the next ones wait
    const first = commit.submit('a#1');
    const again = commit.submit('a#2');
    expect(again).toBe(first);
    await store.complete();
    await store.complete();
    expect(store.batches).toEqual([['x'], ['a#1']]);
    await expect(again).resolves.toBeUndefined();
  });

  it('writes a key again once its write started: the store, like Redis, keeps the first and acknowledges both', async () => {
    const first = track(commit.submit('a#1'));
    const redelivery = track(commit.submit('a#2'));
    await store.complete();
    await store.complete();
    expect(store.batches).toEqual([['a#1'], ['a#2']]);
    expect([first.state, redelivery.state]).toEqual(['written', 'written']);
    expect(store.stored.get('a')).toBe('a#1');
  });

  it('tells when everything submitted was written or failed', async () => {
    await commit.idle();
    for (const item of ['a', 'b', 'c', 'd', 'e']) commit.submit(item).catch(() => undefined);
    let idle = false;
    void commit.idle().then(() => (idle = true));
    await store.complete();
    await store.fail(new Error('down'));
    expect(idle).toBe(false);
    await store.complete();
    expect(idle).toBe(true);
  });
});
