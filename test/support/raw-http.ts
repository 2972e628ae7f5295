import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { LOOPBACK } from './free-port';

/** Makes an initialized app's server listen on 127.0.0.1 (a port the kernel picks) for raw sockets; `app.close()` stops it. */
export async function listenOnLoopback(app: INestApplication): Promise<number> {
  const server = app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return (server.address() as AddressInfo).port;
}

/** What a server wrote back on a raw connection, and whether it closed the connection itself. */
export interface RawExchange {
  /** `HTTP/1.1 413 Payload Too Large`, or undefined when nothing came back. */
  statusLine?: string;
  headers: Record<string, string>;
  body: string;
  closedByServer: boolean;
  /** Body bytes the client got onto the wire before the answer or the close. */
  bodyBytesWritten: number;
}

interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** How long to wait for the answer and the close, ms. */
  waitMs?: number;
}

/**
 * Sends a request head declaring `declaredLength` body bytes, then only `body` (a few bytes), over a raw
 * socket: a server that waits for the declared body never answers within `waitMs`.
 */
export function sendDeclaredLength(port: number, request: RawRequest & { declaredLength: number; body: string }): Promise<RawExchange> {
  return exchange(port, request, { 'Content-Length': String(request.declaredLength) }, (socket, written) => {
    socket.write(request.body);
    written(Buffer.byteLength(request.body));
  });
}

/**
 * Sends a chunked body of up to `maxBytes`, 16 KiB a chunk, never the last chunk: a server that reads
 * bodies to their end never answers; one that cuts at its limit answers while the client is still writing.
 */
export function sendChunked(port: number, request: RawRequest & { maxBytes: number }): Promise<RawExchange> {
  const chunk = Buffer.alloc(16 * 1024, 'a');
  return exchange(port, request, { 'Transfer-Encoding': 'chunked' }, async (socket, written, answered) => {
    // A JSON-looking start, so that parsers that check the first byte keep reading.
    socket.write('1\r\n{\r\n');
    for (let sent = 0; sent < request.maxBytes && !answered(); sent += chunk.length) {
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      const flushed = socket.write('\r\n');
      written(chunk.length);
      if (!flushed) await drainedOrAnswered(socket, answered);
    }
  });
}

/** Sends `body` as a complete chunked body (two chunks and the last one). */
export function sendChunkedBody(port: number, request: RawRequest & { body: string }): Promise<RawExchange> {
  return exchange(port, request, { 'Transfer-Encoding': 'chunked' }, (socket, written) => {
    const middle = Math.floor(request.body.length / 2);
    for (const part of [request.body.slice(0, middle), request.body.slice(middle)].filter(Boolean)) {
      socket.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
      written(Buffer.byteLength(part));
    }
    socket.write('0\r\n\r\n');
  });
}

function drainedOrAnswered(socket: Socket, answered: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => answered() && done(), 20).unref();
    const done = () => {
      clearInterval(timer);
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}

async function exchange(
  port: number,
  request: RawRequest,
  bodyHeaders: Record<string, string>,
  sendBody: (socket: Socket, written: (bytes: number) => void, answered: () => boolean) => Promise<void> | void,
): Promise<RawExchange> {
  const socket = connect(port, LOOPBACK);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const received: Buffer[] = [];
  let closedByServer = false;
  let bodyBytesWritten = 0;
  let answered = false;
  let destroyedByUs = false;
  socket.on('data', (data: Buffer) => {
    received.push(data);
    answered = true;
  });
  const closed = new Promise<void>((resolve) => {
    socket.once('end', () => {
      closedByServer = true;
      resolve();
    });
    socket.once('close', () => {
      if (!destroyedByUs) closedByServer = true;
      resolve();
    });
  });
  const headers = { Host: `${LOOPBACK}:${port}`, 'Content-Type': 'application/json', ...request.headers, ...bodyHeaders };
  const head = [`${request.method ?? 'POST'} ${request.path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, request.waitMs ?? 2000).unref());
  await Promise.race([
    Promise.resolve(
      sendBody(
        socket,
        (bytes) => (bodyBytesWritten += bytes),
        () => answered || closedByServer || socket.destroyed,
      ),
    ).then(() => closed),
    closed,
    timeout,
  ]);
  destroyedByUs = true;
  socket.destroy();
  return { ...parseAnswer(Buffer.concat(received).toString('latin1')), closedByServer, bodyBytesWritten };
}

function parseAnswer(raw: string): Pick<RawExchange, 'statusLine' | 'headers' | 'body'> {
  const end = raw.indexOf('\r\n\r\n');
  if (!raw || end < 0) return { statusLine: raw ? raw.split('\r\n')[0] : undefined, headers: {}, body: '' };
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { statusLine, headers, body: raw.slice(end + 4) };
}
