import { ResolvedLiveKitOptions } from './resolved-livekit-options';

describe('ResolvedLiveKitOptions', () => {
  it('signs with apiKey and accepts every key of keys', () => {
    const options = new ResolvedLiveKitOptions({ apiKey: 'a', apiSecret: 'sa', keys: { b: 'sb' } });
    expect([options.apiKey, options.apiSecret]).toEqual(['a', 'sa']);
    expect(options.secretFor('b')).toBe('sb');
    expect(options.secretFor('c')).toBeUndefined();
    expect(options.keyIds).toEqual(['a', 'b']);
  });

  it('signs with the first of keys when apiKey is absent', () => {
    expect(new ResolvedLiveKitOptions({ keys: { b: 'sb', c: 'sc' } }).apiKey).toBe('b');
  });

  it('applies defaults', () => {
    const options = new ResolvedLiveKitOptions({ apiKey: 'a', apiSecret: 's' });
    expect(options).toMatchObject({
      url: 'ws://localhost:7880',
      tokenTtlSeconds: 6 * 3600,
      tokenBodyLimit: 64 * 1024,
      webhookBodyLimit: 1024 * 1024,
      webhookClockToleranceSeconds: 10,
      webhookHandlerTimeoutMs: 5000,
      webhookDedupeMaxEntries: 10_000,
      webhookDedupeTtlMs: 15 * 60_000,
      defaultGrants: { canPublish: true, canSubscribe: true, canPublishData: true },
    });
  });

  it.each([
    [{}, /no LiveKit API key/],
    [{ apiKey: 'a' }, /apiKey and apiSecret must be given together/],
    [{ apiKey: 'a', apiSecret: 's', keys: { a: 'other' } }, /two different secrets/],
    [{ keys: { a: '' } }, /empty key or secret/],
    [{ apiKey: 'a', apiSecret: 's', tokenTtl: 'soon' }, /tokenTtl/],
    [{ apiKey: 'a', apiSecret: 's', webhookBodyLimit: 0 }, /webhookBodyLimit/],
    [{ apiKey: 'a', apiSecret: 's', tokenBodyLimit: 1.5 }, /tokenBodyLimit/],
    [{ apiKey: 'a', apiSecret: 's', webhookDedupeMaxEntries: 0 }, /webhookDedupeMaxEntries must be a positive integer/],
    [{ apiKey: 'a', apiSecret: 's', webhookDedupeMaxEntries: 1.5 }, /webhookDedupeMaxEntries/],
    [{ apiKey: 'a', apiSecret: 's', webhookDedupeTtlMs: -1 }, /webhookDedupeTtlMs must be a positive integer/],
  ])('refuses %j with a fix', (options, message) => {
    expect(() => new ResolvedLiveKitOptions(options)).toThrow(message);
    expect(() => new ResolvedLiveKitOptions(options)).toThrow(/Fix:/);
  });
});
