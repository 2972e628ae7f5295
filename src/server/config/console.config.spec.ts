import type { Logger } from '@nestjs/common';
import { isConsoleRequested, loadConsoleOptions } from './console.config';

const LONG = 'a'.repeat(32);
const quiet = () => ({ warn: jest.fn() }) as unknown as Logger & { warn: jest.Mock };

describe('console configuration', () => {
  it.each([
    [{}, false],
    [{ CONSOLE_ENABLED: 'false' }, false],
    [{ ADMIN_API_TOKEN: LONG }, false],
    [{ CONSOLE_ENABLED: 'true' }, true],
    [{ CONSOLE_ENABLED: 'yes' }, true],
  ])('serves the console for %j: %s', (env, requested) => {
    expect(isConsoleRequested(env)).toBe(requested);
  });

  it('reads the admin token, the session lifetime and the test webhook URL', () => {
    expect(loadConsoleOptions({ CONSOLE_ENABLED: 'true', ADMIN_API_TOKEN: LONG }, quiet())).toEqual({
      adminToken: LONG,
      sessionTtlMs: 8 * 3600_000,
    });
    expect(
      loadConsoleOptions(
        {
          CONSOLE_ENABLED: 'true',
          ADMIN_API_TOKEN: LONG,
          CONSOLE_SESSION_TTL: '15m',
          CONSOLE_TEST_WEBHOOK_URL: 'http://127.0.0.1:6080/webhook',
        },
        quiet(),
      ),
    ).toEqual({ adminToken: LONG, sessionTtlMs: 15 * 60_000, testWebhookUrl: 'http://127.0.0.1:6080/webhook' });
    expect(loadConsoleOptions({ CONSOLE_ENABLED: 'false', ADMIN_API_TOKEN: LONG }, quiet())).toEqual({});
  });

  it.each([
    [{ CONSOLE_ENABLED: 'yes', ADMIN_API_TOKEN: LONG }, /^CONSOLE_ENABLED must be one of true, false/],
    [{ CONSOLE_ENABLED: 'true' }, /^ADMIN_API_TOKEN is required when CONSOLE_ENABLED=true\. Fix: set ADMIN_API_TOKEN/],
    [{ CONSOLE_ENABLED: 'true', ADMIN_API_TOKEN: 'two words' }, /^ADMIN_API_TOKEN contains whitespace/],
    [{ CONSOLE_ENABLED: 'true', ADMIN_API_TOKEN: 'short', NODE_ENV: 'production' }, /^ADMIN_API_TOKEN holds a token shorter than 32/],
    [{ CONSOLE_ENABLED: 'true', ADMIN_API_TOKEN: LONG, CONSOLE_SESSION_TTL: 'soon' }, /^CONSOLE_SESSION_TTL must be a duration/],
    [{ CONSOLE_ENABLED: 'true', ADMIN_API_TOKEN: LONG, CONSOLE_TEST_WEBHOOK_URL: 'ftp://x' }, /^CONSOLE_TEST_WEBHOOK_URL is not an http/],
  ])('stops the boot for %j, naming the variable', (env, message) => {
    expect(() => loadConsoleOptions(env, quiet())).toThrow(message);
  });

  it('warns about a short token outside production', () => {
    const logger = quiet();
    loadConsoleOptions({ CONSOLE_ENABLED: 'true', ADMIN_API_TOKEN: 'short' }, logger);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('shorter than 32'));
  });
});
