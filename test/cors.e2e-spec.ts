import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { startStandalone as StartStandalone } from './support/standalone-app';
import { useEnv } from './support/env';

const ADAPTERS = ['express', 'fastify'] as const;
const ORIGIN = 'https://app.example.com';
const ADMIN_TOKEN = 'cors-e2e-admin-token-0123456789abcdef0123';
/** The admin routes are decided when the app module loads: the variables are set before it is imported. */
const ADMIN_ENV = { ADMIN_API_ENABLED: 'true', ADMIN_API_TOKEN: ADMIN_TOKEN };

let startStandalone: typeof StartStandalone;
let restoreAdminEnv: () => void;
beforeAll(async () => {
  restoreAdminEnv = useEnv(ADMIN_ENV);
  ({ startStandalone } = await import('./support/standalone-app'));
});
afterAll(() => restoreAdminEnv());

/** Routes called by servers, not by pages: [method, path, headers]. */
const SERVER_ROUTES: [string, string, Record<string, string>][] = [
  ['GET', '/metrics', {}],
  ['GET', '/health/ready', {}],
  ['GET', '/health/live', {}],
  ['GET', '/docs-json', {}],
  ['POST', '/webhook', { 'Content-Type': 'application/webhook+json' }],
  ['GET', '/livekit/rooms', { Authorization: `Bearer ${ADMIN_TOKEN}x` }],
];

const accessControlHeaders = (headers: Record<string, unknown>) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe.each(ADAPTERS)('CORS of the standalone server on %s', (adapter) => {
  const call = (app: INestApplication, method: string, path: string, headers: Record<string, string> = {}) => {
    const server = app.getHttpServer();
    const req =
      method === 'GET' ? request(server).get(path) : method === 'POST' ? request(server).post(path) : request(server).options(path);
    for (const [name, value] of Object.entries({ Origin: ORIGIN, ...headers })) req.set(name, value);
    return req;
  };
  const preflight = (app: INestApplication, path: string, method = 'POST') =>
    call(app, 'OPTIONS', path, { 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'content-type' });

  describe('by default (CORS_ORIGINS=*, CORS_ROUTES=token)', () => {
    let app: INestApplication;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ app, close } = await startStandalone(adapter, ADMIN_ENV));
    });
    afterAll(() => close());

    it.each(['/token', '/livekit/token'])('%s: the answer and its preflight carry the CORS headers', async (path) => {
      const pre = await preflight(app, path);
      expect([200, 204]).toContain(pre.status);
      expect(pre.headers['access-control-allow-origin']).toBe('*');
      expect(String(pre.headers['access-control-allow-methods'])).toContain('POST');
      const res = await call(app, 'POST', path, { 'Content-Type': 'application/json' }).send('{}');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });

    it('the admin API is on, the precondition of the next cases', async () => {
      await call(app, 'GET', '/livekit/rooms').expect(401);
    });

    it.each(SERVER_ROUTES)('%s %s: no Access-Control-* header, nor on its preflight', async (method, path, headers) => {
      const res = await call(app, method, path, headers);
      expect(accessControlHeaders(res.headers)).toEqual([]);
      const pre = await preflight(app, path, method);
      expect(accessControlHeaders(pre.headers)).toEqual([]);
    });
  });

  describe('with CORS_ROUTES=all', () => {
    let app: INestApplication;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ app, close } = await startStandalone(adapter, { ...ADMIN_ENV, CORS_ROUTES: 'all' }));
    });
    afterAll(() => close());

    it.each([...SERVER_ROUTES, ['POST', '/token', {}] as [string, string, Record<string, string>]])(
      '%s %s carries Access-Control-Allow-Origin, and its preflight is answered',
      async (method, path, headers) => {
        expect((await call(app, method, path, headers)).headers['access-control-allow-origin']).toBe('*');
        const pre = await preflight(app, path, method);
        expect(pre.headers['access-control-allow-origin']).toBe('*');
        expect(String(pre.headers['access-control-allow-methods'])).toContain(method);
      },
    );
  });

  describe('with an allow-list', () => {
    let app: INestApplication;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ app, close } = await startStandalone(adapter, { ...ADMIN_ENV, CORS_ORIGINS: `https://other.example, ${ORIGIN}` }));
    });
    afterAll(() => close());

    it('reflects an allowed origin on /token and its preflight, and keeps the other routes bare', async () => {
      expect((await preflight(app, '/token')).headers['access-control-allow-origin']).toBe(ORIGIN);
      const res = await call(app, 'POST', '/token', { 'Content-Type': 'application/json' }).send('{}');
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(accessControlHeaders((await preflight(app, '/livekit/rooms', 'GET')).headers)).toEqual([]);
    });

    it('gives a disallowed origin no Access-Control-Allow-Origin', async () => {
      const pre = await preflight(app, '/token').set('Origin', 'https://evil.example');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      const res = await call(app, 'POST', '/token', { Origin: 'https://evil.example', 'Content-Type': 'application/json' }).send('{}');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it.each([
    ['http://host:8080/', 'write http://host:8080'],
    ['host:8080', 'write https://host:8080 or http://host:8080'],
    ['ftp://x', 'browsers only send http and https origins'],
    ['http://x/path', 'write http://x'],
  ])('refuses to boot with CORS_ORIGINS=%s, naming the entry and the fix', async (entry, fix) => {
    await expect(startStandalone(adapter, { CORS_ORIGINS: `${ORIGIN}, ${entry}` })).rejects.toThrow(
      expect.objectContaining({ name: 'ConfigValidationError', message: expect.stringContaining(`CORS_ORIGINS entry "${entry}"`) }),
    );
    await expect(startStandalone(adapter, { CORS_ORIGINS: entry })).rejects.toThrow(fix);
  });
});
