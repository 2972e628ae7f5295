import type { ExecutionContext } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { LiveKitAdminGuard } from './livekit-admin.guard';
import { LiveKitAdminUnauthorizedException } from './livekit-room.errors';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const TOKEN = 'admin-token-0123456789abcdef0123456789';

function setup(adminToken: string | undefined) {
  const setHeader = jest.fn();
  const guard = new LiveKitAdminGuard({ adminToken }, { httpAdapter: { setHeader } } as unknown as HttpAdapterHost);
  const response = {};
  const run = (authorization?: string): boolean | string => {
    const context = {
      switchToHttp: () => ({
        getRequest: () => ({ headers: authorization === undefined ? {} : { authorization } }),
        getResponse: () => response,
      }),
    } as unknown as ExecutionContext;
    try {
      return guard.canActivate(context);
    } catch (error) {
      if (error instanceof LiveKitAdminUnauthorizedException) return error.reason;
      throw error;
    }
  };
  return { run, setHeader, response };
}

describe('LiveKitAdminGuard', () => {
  afterEach(() => jest.clearAllMocks());

  it('lets the exact bearer token through, whatever the scheme case and spacing', () => {
    const { run, setHeader } = setup(TOKEN);
    expect(run(`Bearer ${TOKEN}`)).toBe(true);
    expect(run(`bearer  ${TOKEN} `)).toBe(true);
    expect(setHeader).not.toHaveBeenCalled();
  });

  it.each([
    ['no header', undefined, 'missing_token'],
    ['an empty header', '', 'missing_token'],
    ['another scheme', `Basic ${TOKEN}`, 'missing_token'],
    ['the bare token', TOKEN, 'missing_token'],
    ['an empty bearer', 'Bearer ', 'missing_token'],
    ['a wrong token', 'Bearer nope', 'invalid_token'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`, 'invalid_token'],
    ['the token with a suffix', `Bearer ${TOKEN}x`, 'invalid_token'],
    ['the token in another case', `Bearer ${TOKEN.toUpperCase()}`, 'invalid_token'],
  ])('refuses %s with 401 and WWW-Authenticate', (_, header, reason) => {
    const { run, setHeader, response } = setup(TOKEN);
    expect(run(header)).toBe(reason);
    expect(setHeader).toHaveBeenCalledWith(response, 'WWW-Authenticate', expect.stringMatching(/^Bearer realm="livekit-admin"/));
    expect(new LiveKitAdminUnauthorizedException(reason as 'missing_token').getStatus()).toBe(401);
  });

  it('compares SHA-256 digests with timingSafeEqual, never the strings', () => {
    const { run } = setup(TOKEN);
    run('Bearer short');
    const spy = jest.mocked(timingSafeEqual);
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0] as unknown as [Buffer, Buffer];
    expect([a.length, b.length]).toEqual([32, 32]);
  });

  it.each([[undefined], [''], ['two words']])('stops the boot for adminToken %j, saying how to fix it', (adminToken) => {
    expect(() => setup(adminToken)).toThrow(/adminToken.*Fix: pass adminToken/);
  });
});
