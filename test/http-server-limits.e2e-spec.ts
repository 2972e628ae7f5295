import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { ADAPTERS, startStandalone } from './support/standalone-app';

jest.setTimeout(30_000);

const LIMITS = {
  SERVER_HEADERS_TIMEOUT_MS: '500',
  SERVER_REQUEST_TIMEOUT_MS: '1000',
  SERVER_KEEP_ALIVE_TIMEOUT_MS: '300',
  SERVER_MAX_REQUESTS_PER_SOCKET: '3',
};
const TOKEN_BODY = JSON.stringify({ roomName: 'r', participantName: 'p' });

/** A raw connection, what it received, and when it closed (ms after it opened). */
interface RawClient {
  socket: Socket;
  received: () => string;
  closed: Promise<number>;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    let received = '';
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - opened)));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}

/** Resolves to the close time, or to undefined if the connection is still open after `ms`. */
const closedWithin = (client: RawClient, ms: number) =>
  Promise.race([client.closed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);

/** Writes `text` one byte every `everyMs` until it is all sent or the connection closes. */
async function trickle(client: RawClient, text: string, everyMs: number): Promise<void> {
  for (const byte of text) {
    if (client.socket.destroyed || !client.socket.writable) return;
    client.socket.write(byte);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits until `count` complete responses (headers) have arrived, within `ms`. */
async function responses(client: RawClient, count: number, ms = 3000): Promise<string[]> {
  const deadline = Date.now() + ms;
  const heads = () => client.received().match(/HTTP\/1\.1 \d{3}[^]*?\r\n\r\n/g) ?? [];
  while (heads().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return heads();
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

/** The end of a connection the server cut: nothing, or a 408 (Express: Node's; Fastify: its own). */
const cutOff = (received: string) => received === '' || received.startsWith('HTTP/1.1 408');

async function listen(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return ((app.getHttpServer() as Server).address() as AddressInfo).port;
}

describe.each(ADAPTERS)('connection limits of the standalone server on %s', (adapter) => {
  let close: () => Promise<void>;
  let port: number;

  beforeAll(async () => {
    const started = await startStandalone(adapter, LIMITS);
    close = started.close;
    port = await listen(started.app);
  });
  afterAll(() => close());

  it('still answers normal requests', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    const token = await fetch(`http://127.0.0.1:${port}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: TOKEN_BODY,
    });
    expect(token.status).toBe(200);
  });

  it('disconnects a client that sends its headers one byte at a time (slowloris) after SERVER_HEADERS_TIMEOUT_MS', async () => {
    const client = await rawClient(port);
    void trickle(client, `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`, 25);
    const closedAt = await closedWithin(client, 2500);
    client.socket.destroy();
    expect(closedAt).toBeDefined();
    expect(closedAt).toBeGreaterThanOrEqual(400);
    expect(cutOff(client.received())).toBe(true);
  });

  it('disconnects a client that opens a connection and sends nothing', async () => {
    const client = await rawClient(port);
    const closedAt = await closedWithin(client, 2500);
    client.socket.destroy();
    expect(closedAt).toBeDefined();
    expect(cutOff(client.received())).toBe(true);
  });

  it('cuts off a client that sends its headers and trickles its body after SERVER_REQUEST_TIMEOUT_MS', async () => {
    const client = await rawClient(port);
    client.socket.write(
      `POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${TOKEN_BODY.length}\r\n\r\n`,
    );
    void trickle(client, TOKEN_BODY, 60);
    const closedAt = await closedWithin(client, 3000);
    client.socket.destroy();
    expect(closedAt).toBeDefined();
    expect(closedAt).toBeGreaterThanOrEqual(900);
    expect(cutOff(client.received())).toBe(true);
  });

  it('closes an idle keep-alive connection after SERVER_KEEP_ALIVE_TIMEOUT_MS (and Node’s 1 s of grace)', async () => {
    const client = await rawClient(port);
    client.socket.write(get('/health/live'));
    const [head] = await responses(client, 1);
    expect(head).toMatch(/^HTTP\/1\.1 200 [^]*connection: keep-alive/i);
    const closedAt = await closedWithin(client, 3500);
    client.socket.destroy();
    expect(closedAt).toBeDefined();
  });

  it('answers `Connection: close` to the last of SERVER_MAX_REQUESTS_PER_SOCKET requests, and 503 past it', async () => {
    const client = await rawClient(port);
    for (let i = 1; i <= 4; i += 1) {
      client.socket.write(get('/health/live'));
      await responses(client, i);
    }
    const heads = await responses(client, 4);
    expect(heads.map((h) => [h.slice(9, 12), /connection: (\S+)/i.exec(h)?.[1]?.toLowerCase()])).toEqual([
      ['200', 'keep-alive'],
      ['200', 'keep-alive'],
      ['200', 'close'],
      ['503', 'close'],
    ]);
    const closedAt = await closedWithin(client, 2500);
    client.socket.destroy();
    expect(closedAt).toBeDefined();
  });
});

describe.each(ADAPTERS)('idle connections of the standalone server on %s', (adapter) => {
  it('closes a connection without traffic either way after SERVER_SOCKET_TIMEOUT_MS', async () => {
    // A LiveKit server that accepts connections and never answers: the readiness probe waits 2 s for it.
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const livekitPort = (silent.address() as AddressInfo).port;
    const started = await startStandalone(adapter, { LIVEKIT_URL: `ws://127.0.0.1:${livekitPort}`, SERVER_SOCKET_TIMEOUT_MS: '500' });
    try {
      const client = await rawClient(await listen(started.app));
      client.socket.write(get('/health/ready'));
      const closedAt = await closedWithin(client, 1500);
      client.socket.destroy();
      expect(closedAt).toBeDefined();
      expect(client.received()).toBe('');
    } finally {
      await started.close();
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
