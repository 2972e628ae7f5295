import { consoleBasePath, isCrossOrigin, readCookie, sessionCookie } from './console-http';

describe('console HTTP helpers', () => {
  it('reads one cookie among others', () => {
    expect(readCookie({ cookie: 'a=1; livekit_console_session=abc; b=2' }, 'livekit_console_session')).toBe('abc');
    expect(readCookie({ cookie: 'xlivekit_console_session=abc' }, 'livekit_console_session')).toBeUndefined();
    expect(readCookie({}, 'livekit_console_session')).toBeUndefined();
  });

  it('writes an HttpOnly SameSite=Strict cookie, Secure when asked', () => {
    expect(sessionCookie('s', 'v', { path: '/console', maxAgeSeconds: 60, secure: false })).toBe(
      's=v; Path=/console; Max-Age=60; HttpOnly; SameSite=Strict',
    );
    expect(sessionCookie('s', 'v', { path: '/console', maxAgeSeconds: 60, secure: true })).toMatch(/; Secure$/);
  });

  it('tells a foreign page from the console page', () => {
    const req = (headers: Record<string, string>, protocol = 'http') => ({
      method: 'POST',
      headers: { host: 'ops.example:8080', ...headers },
      protocol,
    });
    const none = new Set<string>();
    expect(isCrossOrigin(req({}), none)).toBe(false);
    expect(isCrossOrigin(req({ origin: 'http://ops.example:8080' }), none)).toBe(false);
    expect(isCrossOrigin(req({ origin: 'https://ops.example:8080' }), none)).toBe(true);
    expect(isCrossOrigin(req({ origin: 'https://ops.example:8080' }, 'https'), none)).toBe(false);
    expect(isCrossOrigin(req({ origin: 'http://evil.example' }), none)).toBe(true);
    expect(isCrossOrigin(req({ origin: 'http://proxy.example' }), new Set(['http://proxy.example']))).toBe(false);
    expect(isCrossOrigin(req({ 'sec-fetch-site': 'cross-site' }), none)).toBe(true);
    expect(isCrossOrigin(req({ 'sec-fetch-site': 'same-origin' }), none)).toBe(false);
  });

  it("finds the console's base path under any prefix, and never puts an unsafe path in a cookie", () => {
    expect(consoleBasePath({ method: 'POST', headers: {}, url: '/api/v1/console/api/session?x=1' }, 'session')).toBe('/api/v1/console');
    expect(consoleBasePath({ method: 'POST', headers: {}, originalUrl: '/console/api/session' }, 'session')).toBe('/console');
    expect(consoleBasePath({ method: 'POST', headers: {}, url: '/a;b/api/session' }, 'session')).toBe('/');
  });
});
