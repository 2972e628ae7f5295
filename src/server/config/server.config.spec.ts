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
      httpLimits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        maxRequestsPerSocket: 1000,
        socketTimeoutMs: 60_000,
      },
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
        SERVER_HEADERS_TIMEOUT_MS: '2000',
        SERVER_REQUEST_TIMEOUT_MS: '4000',
        SERVER_KEEP_ALIVE_TIMEOUT_MS: '1000',
        SERVER_MAX_REQUESTS_PER_SOCKET: '0',
        SERVER_SOCKET_TIMEOUT_MS: '9000',
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
      trustProxy: ['10.0.0.0/8', '127.0.0.1'],
      httpLimits: {
        headersTimeoutMs: 2000,
        requestTimeoutMs: 4000,
        keepAliveTimeoutMs: 1000,
        maxRequestsPerSocket: 0,
        socketTimeoutMs: 9000,
      },
    });
  });

  it.each([
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    [
      'loopback, 10.0.0.0/8, 192.168.1.0/24 ,::1, fd00::/8, ::ffff:10.0.0.1,',
      ['loopback', '10.0.0.0/8', '192.168.1.0/24', '::1', 'fd00::/8', '::ffff:10.0.0.1'],
    ],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadServerSettings({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['true', 'TRUE', ' true '])('refuses TRUST_PROXY=%j: any client could choose its address', (value) => {
    expect(() => loadServerSettings({ TRUST_PROXY: value })).toThrow(
      'TRUST_PROXY must not be true: trusting every hop lets any client choose its address. Fix: name your proxies: a hop count such as 1, or their addresses/CIDRs such as 10.0.0.0/8',
    );
  });

  it.each([
    ['proxy.internal', 'proxy.internal'],
    ['10.0.0.1, 10.0.0.300', '10.0.0.300'],
    ['10.0.0.0/33', '10.0.0.0/33'],
    ['fd00::/129', 'fd00::/129'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['::/0', '::/0'],
    ['10.0.0.0/', '10.0.0.0/'],
    ['10.0.0.0/8/8', '10.0.0.0/8/8'],
    ['10.0.0.0/255.0.0.0', '10.0.0.0/255.0.0.0'],
    ['-1', '-1'],
    ['1.5', '1.5'],
  ])('refuses TRUST_PROXY=%j at boot, naming %s', (value, entry) => {
    expect(() => loadServerSettings({ TRUST_PROXY: value })).toThrow(
      `TRUST_PROXY has ${JSON.stringify(entry)}, which is not an address, a CIDR or a hop count. Fix: name your proxies`,
    );
  });

  it.each([
    [{ SERVER_PORT: 'abc' }, /^SERVER_PORT must be a positive integer/],
    [{ SERVER_PORT: '-1' }, /^SERVER_PORT/],
    [{ HTTP_ADAPTER: 'koa' }, /^HTTP_ADAPTER must be one of express, fastify/],
    [{ JSON_BODY_LIMIT: '1.5' }, /^JSON_BODY_LIMIT/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ OPENAPI_ENABLED: 'yes' }, /^OPENAPI_ENABLED must be one of true, false/],
    [{ SERVER_HEADERS_TIMEOUT_MS: '0' }, /^SERVER_HEADERS_TIMEOUT_MS must be a positive integer/],
    [{ SERVER_REQUEST_TIMEOUT_MS: '30s' }, /^SERVER_REQUEST_TIMEOUT_MS must be a positive integer/],
    [{ SERVER_KEEP_ALIVE_TIMEOUT_MS: '-5' }, /^SERVER_KEEP_ALIVE_TIMEOUT_MS must be a positive integer/],
    [{ SERVER_MAX_REQUESTS_PER_SOCKET: 'many' }, /^SERVER_MAX_REQUESTS_PER_SOCKET must be an integer of 0 or more, got "many"\. Fix: set/],
    [{ SERVER_MAX_REQUESTS_PER_SOCKET: '-1' }, /^SERVER_MAX_REQUESTS_PER_SOCKET must be an integer of 0 or more/],
    [{ SERVER_SOCKET_TIMEOUT_MS: '0' }, /^SERVER_SOCKET_TIMEOUT_MS must be a positive integer/],
    [
      { SERVER_KEEP_ALIVE_TIMEOUT_MS: '10000' },
      /^SERVER_KEEP_ALIVE_TIMEOUT_MS must be below SERVER_HEADERS_TIMEOUT_MS \(10000\), got 10000\. Fix: lower SERVER_KEEP_ALIVE_TIMEOUT_MS/,
    ],
    [
      { SERVER_HEADERS_TIMEOUT_MS: '3000', SERVER_KEEP_ALIVE_TIMEOUT_MS: '4000' },
      /^SERVER_KEEP_ALIVE_TIMEOUT_MS must be below SERVER_HEADERS_TIMEOUT_MS \(3000\), got 4000/,
    ],
    [
      { SERVER_HEADERS_TIMEOUT_MS: '40000' },
      /^SERVER_HEADERS_TIMEOUT_MS must not exceed SERVER_REQUEST_TIMEOUT_MS \(30000\), got 40000\. Fix: the headers are part of the request/,
    ],
    [{ CORS_ORIGINS: 'https://a/' }, /^CORS_ORIGINS entry "https:\/\/a\/" is not an origin/],
    [{ CORS_ROUTES: 'admin' }, /^CORS_ROUTES must be one of token, all/],
  ])('names the variable for %j', (env, message) => {
    expect(() => loadServerSettings(env)).toThrow(message);
  });
});
