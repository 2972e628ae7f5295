import type { Logger } from '@nestjs/common';
import { isAdminApiRequested, loadAdminApiOptions } from './admin-api.config';

const LONG = 'a'.repeat(32);
const quiet = () => ({ warn: jest.fn() }) as unknown as Logger & { warn: jest.Mock };

describe('admin API configuration', () => {
  it.each([
    [{}, false],
    [{ ADMIN_API_ENABLED: '' }, false],
    [{ ADMIN_API_ENABLED: 'false' }, false],
    [{ ADMIN_API_ENABLED: 'FALSE' }, false],
    [{ ADMIN_API_TOKEN: LONG }, false],
    [{ ADMIN_API_ENABLED: 'true' }, true],
    [{ ADMIN_API_ENABLED: 'yes' }, true],
  ])('mounts the routes for %j: %s', (env, requested) => {
    expect(isAdminApiRequested(env)).toBe(requested);
  });

  it('reads the token when enabled', () => {
    expect(loadAdminApiOptions({ ADMIN_API_ENABLED: 'True', ADMIN_API_TOKEN: ` ${LONG} ` }, quiet())).toEqual({ adminToken: LONG });
    expect(loadAdminApiOptions({ ADMIN_API_ENABLED: 'false', ADMIN_API_TOKEN: LONG }, quiet())).toEqual({});
  });

  it.each([
    [{ ADMIN_API_ENABLED: 'yes', ADMIN_API_TOKEN: LONG }, /^ADMIN_API_ENABLED must be one of true, false/],
    [{ ADMIN_API_ENABLED: 'true' }, /^ADMIN_API_TOKEN is required when ADMIN_API_ENABLED=true\. Fix: set ADMIN_API_TOKEN/],
    [{ ADMIN_API_ENABLED: 'true', ADMIN_API_TOKEN: 'two words' }, /^ADMIN_API_TOKEN contains whitespace/],
    [{ ADMIN_API_ENABLED: 'true', ADMIN_API_TOKEN: 'short', NODE_ENV: 'production' }, /^ADMIN_API_TOKEN holds a token shorter than 32/],
  ])('stops the boot for %j, naming the variable', (env, message) => {
    expect(() => loadAdminApiOptions(env, quiet())).toThrow(message);
  });

  it('accepts a short token outside production, with a warning that never shows it', () => {
    const logger = quiet();
    expect(loadAdminApiOptions({ ADMIN_API_ENABLED: 'true', ADMIN_API_TOKEN: 'dev-admin' }, logger)).toEqual({ adminToken: 'dev-admin' });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('shorter than 32'));
    expect(logger.warn).not.toHaveBeenCalledWith(expect.stringContaining('dev-admin'));
  });

  it('never puts the token in an error message', () => {
    expect(() => loadAdminApiOptions({ ADMIN_API_ENABLED: 'true', ADMIN_API_TOKEN: 'hunter2', NODE_ENV: 'production' }, quiet())).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
