import { loadTokenRateLimitOptions } from './token-rate-limit.config';

describe('loadTokenRateLimitOptions', () => {
  it('is off unless TOKEN_RATE_LIMIT is set', () => {
    expect(loadTokenRateLimitOptions({})).toEqual({ enabled: false });
    expect(loadTokenRateLimitOptions({ REDIS_URL: 'redis://r:6379' })).toEqual({ enabled: false });
  });

  it('counts in memory with a 60 s window by default', () => {
    expect(loadTokenRateLimitOptions({ TOKEN_RATE_LIMIT: '20' })).toEqual({ enabled: true, limit: 20, ttl: 60_000 });
  });

  it('counts in Redis when REDIS_URL is set, with the prefix given', () => {
    expect(
      loadTokenRateLimitOptions({
        TOKEN_RATE_LIMIT: '5',
        TOKEN_RATE_TTL: '10m',
        REDIS_URL: 'rediss://r:6380',
        TOKEN_RATE_REDIS_PREFIX: 'app1:',
      }),
    ).toEqual({ enabled: true, limit: 5, ttl: 600_000, redis: { url: 'rediss://r:6380', keyPrefix: 'app1:' } });
  });

  it.each([
    [{ TOKEN_RATE_LIMIT: 'many' }, /^TOKEN_RATE_LIMIT must be a positive integer/],
    [{ TOKEN_RATE_LIMIT: '0' }, /^TOKEN_RATE_LIMIT must be a positive integer/],
    [{ TOKEN_RATE_LIMIT: '5', TOKEN_RATE_TTL: 'soon' }, /^TOKEN_RATE_TTL must be a duration/],
    [{ TOKEN_RATE_LIMIT: '5', REDIS_URL: 'localhost:6379' }, /^REDIS_URL is not a redis:\/\//],
  ])('names the variable for %j', (env, message) => {
    expect(() => loadTokenRateLimitOptions(env)).toThrow(message);
  });
});
