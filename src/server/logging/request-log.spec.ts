import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureLogLines } from '../../../test/support/log-capture';
import pino from 'pino';
import { basePinoOptions } from './pino-options';
import { logRequests, requestLogLevel } from './request-log';

function captured(level: 'info' | 'warn' = 'info') {
  const { stream, lines } = captureLogLines();
  return { logger: pino(basePinoOptions(level), stream), lines };
}

describe('logRequests', () => {
  let server: Server;
  let log: ReturnType<typeof captured>;
  let base: string;

  async function start(level: 'info' | 'warn' = 'info') {
    log = captured(level);
    server = createServer((req, res) => {
      if (req.url?.startsWith('/hang')) return void req.socket.destroy();
      res.statusCode = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
      res.end('ok');
    });
    logRequests(server, log.logger, { quietPaths: ['/health/'] });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Waits until `count` lines are written (the line is written on the response's close). */
  async function linesAfter(count: number) {
    for (let i = 0; i < 100 && log.lines().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return log.lines();
  }

  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('writes one line per request with its id, method, redacted URL, status and time, and echoes the id', async () => {
    await start();
    const res = await fetch(`${base}/token?access_token=eyJsecret&room=r`, { method: 'POST', headers: { 'x-request-id': 'trace-1' } });
    expect(res.headers.get('x-request-id')).toBe('trace-1');
    const [line] = await linesAfter(1);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: 'trace-1',
      req: { id: 'trace-1', method: 'POST', url: '/token?access_token=[Redacted]&room=r', remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
    });
    expect(typeof line?.responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toContain('eyJsecret');
  });

  it('gives a UUID to a request without a plausible id', async () => {
    await start();
    const res = await fetch(`${base}/token`, { headers: { 'x-request-id': 'bad id {"forged":1}' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await linesAfter(1))[0]).toMatchObject({ reqId: id });
  });

  it('logs 4xx at warn, 5xx at error, and skips successful quiet paths but not their failures', async () => {
    await start();
    await fetch(`${base}/health/live`);
    await fetch(`${base}/x?status=404`);
    await fetch(`${base}/x?status=503`);
    await fetch(`${base}/health/ready?status=503`);
    const lines = await linesAfter(3);
    expect(lines.map((l) => [l.level, (l.res as { statusCode: number }).statusCode])).toEqual([
      [40, 404],
      [50, 503],
      [50, 503],
    ]);
  });

  it('writes `request aborted` when the connection closes before the response', async () => {
    await start();
    await expect(fetch(`${base}/hang`)).rejects.toThrow();
    expect((await linesAfter(1))[0]).toMatchObject({ level: 40, msg: 'request aborted', req: { url: '/hang' } });
  });

  it('honours the level: nothing below it is written', async () => {
    await start('warn');
    await fetch(`${base}/ok`);
    await fetch(`${base}/x?status=400`);
    expect((await linesAfter(1)).map((l) => l.msg)).toEqual(['request completed']);
    expect(log.lines()).toHaveLength(1);
  });
});

describe('requestLogLevel', () => {
  it.each([
    [200, true, 'info'],
    [304, true, 'info'],
    [429, true, 'warn'],
    [200, false, 'warn'],
    [500, true, 'error'],
    [503, false, 'error'],
  ] as const)('%i (completed %s) → %s', (status, completed, level) => {
    expect(requestLogLevel(status, completed)).toBe(level);
  });
});
