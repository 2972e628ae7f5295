import { Logger } from '@nestjs/common';
import { isConnectionError, RedisOutageLog } from './redis-outage.log';

describe('RedisOutageLog', () => {
  let error: jest.SpyInstance;
  let log: jest.SpyInstance;
  beforeEach(() => {
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs an outage once, again every 30 s, and its end once', () => {
    let now = 0;
    const outage = new RedisOutageLog();
    outage.now = () => now;
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 50; i++) outage.error(refused, 'worker');
    expect(error).toHaveBeenCalledTimes(1);
    expect(outage.isDown).toBe(true);
    now = 31_000;
    outage.error(refused, 'producer');
    expect(error).toHaveBeenCalledTimes(2);
    expect(error).toHaveBeenLastCalledWith(expect.stringContaining('still unreachable after 31 s'));
    outage.ready();
    outage.ready();
    expect(log).toHaveBeenCalledTimes(1);
    expect(outage.isDown).toBe(false);
  });

  it('logs every error that is not about the connection', () => {
    const outage = new RedisOutageLog();
    outage.error(new Error('Missing lock for job 1'), 'worker');
    outage.error(new Error('Missing lock for job 2'), 'worker');
    expect(error).toHaveBeenCalledTimes(2);
    expect(outage.isDown).toBe(false);
  });

  it.each([
    [new Error('read ECONNRESET'), true],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), true],
    [Object.assign(new Error('x'), { code: 'ENOTFOUND' }), true],
    [new Error('Connection is closed.'), true],
    [new Error('ERR unknown command'), false],
  ])('%s is a connection error: %s', (e, expected) => expect(isConnectionError(e)).toBe(expected));
});
