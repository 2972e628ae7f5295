import { loadRedisConnection } from './redis.config';

describe('loadRedisConnection', () => {
  it('is undefined without any Redis variable', () => {
    expect(loadRedisConnection({})).toBeUndefined();
  });

  it('reads a single URL, as before', () => {
    expect(loadRedisConnection({ REDIS_URL: 'redis://h:6379' })).toEqual({ url: 'redis://h:6379' });
  });

  it('reads Sentinel with its own password, and the data nodes’ auth and TLS', () => {
    expect(
      loadRedisConnection({
        REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26380,[::1]:26381',
        REDIS_SENTINEL_MASTER: 'mymaster',
        REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
        REDIS_USERNAME: 'app',
        REDIS_PASSWORD: 'data-secret',
        REDIS_TLS: 'true',
      }),
    ).toEqual({
      sentinel: {
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26380 },
          { host: '::1', port: 26381 },
        ],
        masterName: 'mymaster',
        sentinelPassword: 'sentinel-secret',
      },
      username: 'app',
      password: 'data-secret',
      tls: true,
    });
  });

  it('reads Cluster seed nodes', () => {
    expect(loadRedisConnection({ REDIS_CLUSTER_NODES: 'a:7000 b:7001', REDIS_PASSWORD: 'p' })).toEqual({
      cluster: {
        nodes: [
          { host: 'a', port: 7000 },
          { host: 'b', port: 7001 },
        ],
      },
      password: 'p',
    });
  });

  it.each([
    [{ REDIS_URL: 'redis://h', REDIS_CLUSTER_NODES: 'a:1' }, /^REDIS_URL and REDIS_CLUSTER_NODES are set together\. Fix: set only one/],
    [{ REDIS_URL: 'http://h' }, /^REDIS_URL is not a redis:\/\/ or rediss:\/\/ URL\. Fix:/],
    [{ REDIS_SENTINELS: 'a:26379' }, /^REDIS_SENTINEL_MASTER is required with REDIS_SENTINELS\. Fix:/],
    [{ REDIS_SENTINELS: 'a', REDIS_SENTINEL_MASTER: 'm' }, /^REDIS_SENTINELS has an entry that is not host:port, got "a"\. Fix:/],
    [{ REDIS_CLUSTER_NODES: 'a:99999' }, /^REDIS_CLUSTER_NODES has an entry that is not host:port/],
    [{ REDIS_CLUSTER_NODES: ' , ' }, /^REDIS_CLUSTER_NODES is empty\. Fix:/],
    [{ REDIS_URL: 'redis://h', REDIS_TLS: 'yes' }, /^REDIS_TLS must be one of true, false/],
  ])('refuses %j, naming the variable and the fix', (env, message) => {
    expect(() => loadRedisConnection(env)).toThrow(message);
  });

  it('never puts a password in an error', () => {
    expect(() => loadRedisConnection({ REDIS_CLUSTER_NODES: 'a', REDIS_PASSWORD: 'hunter2' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
