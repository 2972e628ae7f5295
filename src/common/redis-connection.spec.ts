import { hashTagOf, ResolvedRedisConnection } from './redis-connection';

const fail = (problem: string, fix: string) => new Error(`${problem}. Fix: ${fix}`);

describe('ResolvedRedisConnection', () => {
  it('tells the topology and describes it without secrets', () => {
    expect(new ResolvedRedisConnection({ url: 'redis://u:hunter2@h:6379' }, fail)).toMatchObject({
      topology: 'single',
      description: 'redis://u:***@h:6379',
    });
    const sentinel = new ResolvedRedisConnection(
      { sentinel: { sentinels: [{ host: 'a', port: 26379 }], masterName: 'm', sentinelPassword: 'hunter2' }, password: 'hunter2' },
      fail,
    );
    expect(sentinel.topology).toBe('sentinel');
    expect(sentinel.description).toBe('Sentinel primary "m" via a:26379');
    const cluster = new ResolvedRedisConnection(
      {
        cluster: {
          nodes: [
            { host: 'a', port: 7000 },
            { host: 'b', port: 7001 },
          ],
        },
      },
      fail,
    );
    expect([cluster.topology, cluster.description]).toEqual(['cluster', 'Cluster via a:7000,b:7001']);
  });

  it.each([
    [{}, /needs a Redis url, sentinel or cluster/],
    [{ url: 'redis://h', cluster: { nodes: [{ host: 'a', port: 1 }] } }, /url and cluster are given together/],
    [{ url: 'http://h' }, /not a Redis URL/],
    [{ sentinel: { sentinels: [], masterName: 'm' } }, /sentinel.sentinels is empty/],
    [{ sentinel: { sentinels: [{ host: 'a', port: 1 }], masterName: ' ' } }, /masterName is empty/],
    [{ cluster: { nodes: [{ host: 'a', port: 0 }] } }, /cluster.nodes has an address/],
    [{ url: 'redis://h', redisOptions: { keyPrefix: 'x' } }, /keyPrefix/],
  ])('refuses %j with a fix', (options, message) => {
    expect(() => new ResolvedRedisConnection(options, fail)).toThrow(message);
    expect(() => new ResolvedRedisConnection(options, fail)).toThrow(/Fix:/);
  });

  it('opens a lazy client of the right kind', () => {
    const sentinel = new ResolvedRedisConnection(
      { sentinel: { sentinels: [{ host: '127.0.0.1', port: 1 }], masterName: 'm' } },
      fail,
    ).create({
      lazyConnect: true,
    });
    expect(sentinel.options).toMatchObject({ name: 'm', failoverDetector: true, lazyConnect: true });
    sentinel.disconnect();
    const cluster = new ResolvedRedisConnection({ cluster: { nodes: [{ host: '127.0.0.1', port: 1 }] }, password: 'p' }, fail).create({
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    expect((cluster as unknown as { isCluster: boolean }).isCluster).toBe(true);
    expect(cluster.options).toMatchObject({ enableOfflineQueue: false, redisOptions: { password: 'p', lazyConnect: true } });
    cluster.disconnect();
  });
});

describe('hashTagOf', () => {
  it.each([
    ['{bull}:q', 'bull'],
    ['a{b}c{d}', 'b'],
    ['{}x', undefined],
    ['no-tag', undefined],
    ['{open', undefined],
  ])('%j → %j', (key, tag) => {
    expect(hashTagOf(key)).toBe(tag);
  });
});
