import { loadServerSettings } from './server.config';

describe('loadServerSettings', () => {
  it('defaults to the tutorials: port 6080, CORS *, Express', () => {
    expect(loadServerSettings({})).toEqual({
      port: 6080,
      host: '0.0.0.0',
      corsOrigins: '*',
      corsRoutes: 'token',
      httpAdapter: 'express',
      jsonBodyLimit: 16 * 1024,
      logLevel: 'info',
      openApi: true,
      trustProxy: false,
    });
  });

  it('reads every setting', () => {
    expect(
      loadServerSettings({
        SERVER_PORT: '7000',
        SERVER_HOST: '127.0.0.1',
        CORS_ORIGINS: 'https://a, https://b',
        CORS_ROUTES: 'All',
        HTTP_ADAPTER: 'Fastify',
        JSON_BODY_LIMIT: '100',
        LOG_LEVEL: 'DEBUG',
        OPENAPI_ENABLED: 'false',
        TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      }),
    ).toEqual({
      port: 7000,
      host: '127.0.0.1',
      corsOrigins: ['https://a', 'https://b'],
      corsRoutes: 'all',
      httpAdapter: 'fastify',
      jsonBodyLimit: 100,
      logLevel: 'debug',
      openApi: false,
      trustProxy: '10.0.0.0/8, 127.0.0.1',
    });
  });

  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadServerSettings({ TRUST_PROXY: value }).trustProxy).toBe(expected);
  });

  it.each([
    [{ SERVER_PORT: 'abc' }, /^SERVER_PORT must be a positive integer/],
    [{ SERVER_PORT: '-1' }, /^SERVER_PORT/],
    [{ HTTP_ADAPTER: 'koa' }, /^HTTP_ADAPTER must be one of express, fastify/],
    [{ JSON_BODY_LIMIT: '1.5' }, /^JSON_BODY_LIMIT/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ OPENAPI_ENABLED: 'yes' }, /^OPENAPI_ENABLED must be one of true, false/],
    [{ CORS_ORIGINS: 'https://a/' }, /^CORS_ORIGINS entry "https:\/\/a\/" is not an origin/],
    [{ CORS_ROUTES: 'admin' }, /^CORS_ROUTES must be one of token, all/],
  ])('names the variable for %j', (env, message) => {
    expect(() => loadServerSettings(env)).toThrow(message);
  });
});
