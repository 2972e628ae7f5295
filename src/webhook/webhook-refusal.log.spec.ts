import { Logger } from '@nestjs/common';
import { WebhookRefusalLog } from './webhook-refusal.log';
import type { WebhookRefusal } from './webhook-refusal.messages';

describe('WebhookRefusalLog', () => {
  let now: number;
  let log: WebhookRefusalLog;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  const unknown = (keyId: string): WebhookRefusal => ({ status: 401, reason: 'unknown_key', keyId });
  const lines = () => warn.mock.calls.map(([message]) => String(message));

  beforeEach(() => {
    now = 1_000_000;
    log = new WebhookRefusalLog();
    log.now = () => now;
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('writes one line per reason and key per second, and counts the others in the next line, whichever it is', () => {
    for (let i = 0; i < 5; i += 1) log.record(unknown('a'));
    log.record({ status: 401, reason: 'expired', keyId: 'a' });
    expect(lines()).toHaveLength(2);
    expect(lines()[0]).not.toContain('not logged');
    expect(lines()[1]).toMatch(
      /^webhook refused \(expired token, key "a"\).*\(4 more refused webhook\(s\) not logged since the previous line\)$/,
    );
    now += 999;
    log.record(unknown('a'));
    expect(lines()).toHaveLength(2);
    now += 1;
    log.record(unknown('a'));
    expect(lines()).toHaveLength(3);
    expect(lines()[2]).toMatch(/\(1 more refused webhook\(s\) not logged/);
  });

  it('writes at most 10 lines a second in all, whatever keys a flood names', () => {
    for (let i = 0; i < 1000; i += 1) log.record(unknown(`forged-${i}`));
    expect(lines()).toHaveLength(10);
    now += 1000;
    log.record(unknown('forged-0'));
    expect(lines()).toHaveLength(11);
    expect(lines()[10]).toContain('(990 more refused webhook(s)');
  });

  it('writes a 500 refusal at error level', () => {
    log.record({ status: 500, reason: 'raw_body_unavailable', keyId: 'k' });
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/^webhook refused \(raw body unavailable/));
    expect(warn).not.toHaveBeenCalled();
  });

  it('remembers only the keys of the last second', () => {
    const remembered = () => (log as unknown as { lastLine: Map<string, number> }).lastLine.size;
    for (let second = 0; second < 50; second += 1) {
      for (let i = 0; i < 100; i += 1) log.record(unknown(`forged-${second}-${i}`));
      now += 1000;
    }
    expect(remembered()).toBeLessThanOrEqual(10);
    expect(lines()).toHaveLength(500);
  });
});
