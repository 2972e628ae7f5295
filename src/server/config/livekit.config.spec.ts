import type { Logger } from '@nestjs/common';
import { loadLiveKitOptions } from './livekit.config';

const LONG = 'x'.repeat(32);
const quiet = () => ({ warn: jest.fn() }) as unknown as Logger & { warn: jest.Mock };

describe('loadLiveKitOptions', () => {
  it('falls back to the tutorial dev credentials outside production, loudly', () => {
    const logger = quiet();
    const options = loadLiveKitOptions({}, logger);
    expect(options).toMatchObject({ apiKey: 'devkey', apiSecret: 'secret' });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('development credentials'));
  });

  it('reads credentials, rotation keys, URL and limits', () => {
    const options = loadLiveKitOptions(
      {
        LIVEKIT_API_KEY: 'k1',
        LIVEKIT_API_SECRET: 's1',
        LIVEKIT_KEYS: 'k2: s2, k3:s3',
        LIVEKIT_URL: 'wss://lk.example.com',
        LIVEKIT_TOKEN_TTL: '10m',
        WEBHOOK_BODY_LIMIT: '2048',
        JSON_BODY_LIMIT: '4096',
        WEBHOOK_DEDUPE_MAX_ENTRIES: '500',
        WEBHOOK_DEDUPE_TTL: '30m',
      },
      quiet(),
    );
    expect(options).toMatchObject({
      apiKey: 'k1',
      apiSecret: 's1',
      keys: { k2: 's2', k3: 's3' },
      url: 'wss://lk.example.com',
      tokenTtl: '10m',
      tokenBodyLimit: 4096,
      webhookBodyLimit: 2048,
      webhookDedupeMaxEntries: 500,
      webhookDedupeTtlMs: 30 * 60_000,
    });
  });

  it('keeps the duplicate ledger at 10000 events and 15 minutes by default; TTL in seconds or with a unit', () => {
    expect(loadLiveKitOptions({}, quiet())).toMatchObject({ webhookDedupeMaxEntries: 10_000, webhookDedupeTtlMs: 15 * 60_000 });
    expect(loadLiveKitOptions({ WEBHOOK_DEDUPE_TTL: '120' }, quiet()).webhookDedupeTtlMs).toBe(120_000);
  });

  it.each([
    [{ WEBHOOK_DEDUPE_MAX_ENTRIES: '0' }, /^WEBHOOK_DEDUPE_MAX_ENTRIES must be a positive integer/],
    [{ WEBHOOK_DEDUPE_TTL: 'forever' }, /^WEBHOOK_DEDUPE_TTL must be a duration.*Fix: set WEBHOOK_DEDUPE_TTL to seconds/],
    [{ WEBHOOK_DEDUPE_TTL: '0' }, /^WEBHOOK_DEDUPE_TTL must be a duration/],
  ])('stops the boot for %j, naming the variable', (env, message) => {
    expect(() => loadLiveKitOptions(env, quiet())).toThrow(message);
  });

  it('accepts livekit-server YAML-ish key lists with braces and new lines', () => {
    expect(loadLiveKitOptions({ LIVEKIT_KEYS: '{a: 1, b: 2}' }, quiet()).keys).toEqual({ a: '1', b: '2' });
    expect(loadLiveKitOptions({ LIVEKIT_KEYS: 'a: 1\nb: 2' }, quiet()).keys).toEqual({ a: '1', b: '2' });
  });

  it('refuses a malformed key list, naming the variable', () => {
    expect(() => loadLiveKitOptions({ LIVEKIT_KEYS: 'a:1, broken' }, quiet())).toThrow(/^LIVEKIT_KEYS/);
  });

  describe('with NODE_ENV=production', () => {
    const prod = { NODE_ENV: 'production' };

    it.each([
      [{ LIVEKIT_API_SECRET: LONG }, /^LIVEKIT_API_KEY is required/],
      [{ LIVEKIT_API_KEY: 'k' }, /^LIVEKIT_API_SECRET is required/],
      [{}, /^LIVEKIT_API_KEY is required/],
      [{ LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 'secret' }, /^LIVEKIT_API_SECRET holds a secret shorter than 32/],
      [{ LIVEKIT_KEYS: `k: short` }, /^LIVEKIT_KEYS holds a secret shorter than 32/],
    ])('stops the boot for %j', (env, message) => {
      expect(() => loadLiveKitOptions({ ...prod, ...env }, quiet())).toThrow(message);
    });

    it('boots with a long secret, or with LIVEKIT_KEYS alone, without dev defaults', () => {
      const logger = quiet();
      expect(loadLiveKitOptions({ ...prod, LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: LONG }, logger)).toMatchObject({ apiKey: 'k' });
      expect(loadLiveKitOptions({ ...prod, LIVEKIT_KEYS: `a: ${LONG}` }, logger)).toMatchObject({ apiKey: undefined, keys: { a: LONG } });
      expect(logger.warn).not.toHaveBeenCalledWith(expect.stringContaining('development credentials'));
    });

    it('never puts the secret in the error message', () => {
      expect(() => loadLiveKitOptions({ ...prod, LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 'hunter2-weak' }, quiet())).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
      );
    });
  });
});
