import { HttpException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { LiveKitRawBodyUnavailableException } from './livekit-webhook.errors';
import { captureRawBody, readRawBody } from './raw-body.reader';

const BYTES = Buffer.from('{"event":"participant_joined" , "id":"EV_x","room":{"name":"caf\\u00e9"}}');

/** A request stream as Node hands it to Express (headers, body bytes still unread). */
function unreadRequest(bytes: Buffer = BYTES, headers: Record<string, string> = {}): IncomingMessage {
  const stream = new PassThrough();
  stream.end(bytes);
  return Object.assign(stream, { headers: { 'content-length': String(bytes.length), ...headers } }) as unknown as IncomingMessage;
}

/** A request whose stream a parser has already read to the end. */
async function consumedRequest(): Promise<IncomingMessage> {
  const req = unreadRequest();
  req.resume(); // drain, as a body parser does
  await new Promise((resolve) => req.once('end', resolve));
  return req;
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof HttpException)) throw new Error(`expected an HttpException, got ${String(error)}`);
  return error.getStatus();
}

describe('readRawBody', () => {
  it('takes req.rawBody first (rawBody: true, captureRawBody)', async () => {
    const req = await consumedRequest();
    captureRawBody(req, undefined, BYTES);
    Object.assign(req, { body: { parsed: true } });
    expect((await readRawBody(req, 1024)).equals(BYTES)).toBe(true);
  });

  it('takes a Buffer body (Fastify buffer parser, express.raw())', async () => {
    expect((await readRawBody({ headers: {}, body: BYTES }, 1024)).equals(BYTES)).toBe(true);
  });

  it('reads the unread stream, byte for byte', async () => {
    expect((await readRawBody(unreadRequest(), 1024)).equals(BYTES)).toBe(true);
  });

  it('reads the unread stream of a Fastify request (req.raw)', async () => {
    expect((await readRawBody({ headers: {}, raw: unreadRequest() }, 1024)).equals(BYTES)).toBe(true);
  });

  it('reads the stream when a body-parser 1.x parser skipped the request and left req.body = {}', async () => {
    // body-parser 1.x runs `req.body = req.body || {}` before skipping a type it does not parse.
    const req = Object.assign(unreadRequest(), { body: {} });
    expect((await readRawBody(req, 1024)).equals(BYTES)).toBe(true);
  });

  it.each<[string, () => Promise<unknown>]>([
    ['a parser read the stream and kept only the parsed object', async () => Object.assign(await consumedRequest(), { body: { a: 1 } })],
    [
      'body-parser 1.x marked the request parsed (req._body)',
      () => Promise.resolve(Object.assign(unreadRequest(), { _body: true, body: {} })),
    ],
    [
      'a Fastify parser consumed req.raw and kept a parsed body',
      async () => ({ headers: {}, raw: await consumedRequest(), body: { a: 1 } }),
    ],
    [
      'a parser kept the body as a string (bytes not provable)',
      async () => Object.assign(await consumedRequest(), { body: BYTES.toString() }),
    ],
    [
      'someone set an encoding on the stream',
      () => {
        const req = unreadRequest();
        req.setEncoding('utf8');
        return Promise.resolve(req);
      },
    ],
    [
      'someone is already reading the stream',
      () => {
        const req = unreadRequest();
        req.on('data', () => undefined);
        return Promise.resolve(req);
      },
    ],
    ['there is no stream at all', () => Promise.resolve({ headers: {}, body: { a: 1 } })],
  ])('answers 500 LiveKitRawBodyUnavailableException when %s', async (_, make) => {
    await expect(readRawBody(await make(), 1024)).rejects.toBeInstanceOf(LiveKitRawBodyUnavailableException);
  });

  it('answers 413 over the limit, for every source', async () => {
    expect(await statusOf(readRawBody(unreadRequest(), 10))).toBe(413);
    expect(await statusOf(readRawBody({ headers: {}, body: BYTES }, 10))).toBe(413);
    expect(await statusOf(readRawBody({ headers: {}, rawBody: BYTES }, 10))).toBe(413);
  });

  it('answers 400 when the stream does not match its Content-Length', async () => {
    const req = unreadRequest(BYTES, { 'content-length': String(BYTES.length + 5) });
    expect(await statusOf(readRawBody(req, 1024))).toBe(400);
  });
});
