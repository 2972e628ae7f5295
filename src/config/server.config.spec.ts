import { loadServerSettings } from './server.config';

describe('loadServerSettings', () => {
  it('defaults to the tutorials: port 6080, CORS *, Express', () => {
    expect(loadServerSettings({})).toEqual({
      port: 6080,
      host: '0.0.0.0',
      corsOrigins: '*',
      httpAdapter: 'express',
      jsonBodyLimit: 16 * 1024,
    });
  });

  it('reads every setting', () => {
    expect(
      loadServerSettings({
        SERVER_PORT: '7000',
        SERVER_HOST: '127.0.0.1',
        CORS_ORIGINS: 'https://a, https://b',
        HTTP_ADAPTER: 'Fastify',
        JSON_BODY_LIMIT: '100',
      }),
    ).toEqual({ port: 7000, host: '127.0.0.1', corsOrigins: ['https://a', 'https://b'], httpAdapter: 'fastify', jsonBodyLimit: 100 });
  });

  it.each([
    [{ SERVER_PORT: 'abc' }, /^SERVER_PORT must be a positive integer/],
    [{ SERVER_PORT: '-1' }, /^SERVER_PORT/],
    [{ HTTP_ADAPTER: 'koa' }, /^HTTP_ADAPTER must be one of express, fastify/],
    [{ JSON_BODY_LIMIT: '1.5' }, /^JSON_BODY_LIMIT/],
  ])('names the variable for %j', (env, message) => {
    expect(() => loadServerSettings(env)).toThrow(message);
  });
});
