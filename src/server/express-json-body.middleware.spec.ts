import { HttpException } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { expressJsonBody } from './express-json-body.middleware';

const LIMIT = 64;

/** A real server running only the parser; it echoes what the parser left on the request, or its error. */
function parserServer(): Server {
  const parse = expressJsonBody(LIMIT);
  return createServer((req: IncomingMessage & { body?: unknown; rawBody?: Buffer }, res) => {
    parse(req, res, (error?: unknown) => {
      res.setHeader('Content-Type', 'application/json');
      if (error instanceof HttpException) {
        res.statusCode = error.getStatus();
        return res.end(JSON.stringify({ error: error.message }));
      }
      res.end(JSON.stringify({ body: req.body ?? null, raw: req.rawBody?.toString() ?? null, unread: !req.readableEnded }));
    });
  });
}

describe('expressJsonBody', () => {
  const server = parserServer();
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const post = (body: string | Buffer, type = 'application/json') => request(server).post('/').set('Content-Type', type).send(body);

  it('parses a JSON object and keeps its exact bytes on req.rawBody', async () => {
    const raw = '{ "a" : "\\u00e9" }';
    expect((await post(raw).expect(200)).body).toEqual({ body: { a: 'é' }, raw, unread: false });
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON; charset="UTF-8"'])('parses %s', async (type) => {
    expect((await post('[1]', type).expect(200)).body.body).toEqual([1]);
  });

  it('leaves other content types unread (the webhook guard reads application/webhook+json itself)', async () => {
    expect((await post('{"a":1}', 'application/webhook+json').expect(200)).body).toEqual({ body: null, raw: null, unread: true });
  });

  it('gives {} for an empty body, as body-parser does', async () => {
    expect((await post('').expect(200)).body.body).toEqual({});
  });

  it.each(['{"a":', '"text"', 'null', '42'])('answers 400 to %s (objects and arrays only, as body-parser strict)', async (raw) => {
    expect((await post(raw).expect(400)).body).toEqual({ error: 'malformed JSON body' });
  });

  it('answers 415 to another charset and to a compressed body', async () => {
    await post('{}', 'application/json; charset=utf-16').expect(415);
    await request(server)
      .post('/')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync('{}'))
      .expect(415);
  });

  it('answers 413 over the limit with Connection: close, and accepts a body at the limit', async () => {
    const at = JSON.stringify({ a: 'x'.repeat(LIMIT - 8) });
    expect(at).toHaveLength(LIMIT);
    await post(at).expect(200);
    const over = await post(`${at} `).expect(413);
    expect(over.body).toEqual({ error: `body larger than ${LIMIT} bytes` });
    expect(over.headers.connection).toBe('close');
  });
});
