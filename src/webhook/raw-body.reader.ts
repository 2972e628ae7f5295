import { HttpException, HttpStatus } from '@nestjs/common';
import getRawBody from 'raw-body';
import type { IncomingMessage } from 'node:http';
import { LiveKitRawBodyUnavailableException } from './livekit-webhook.errors';

/** What we read off an Express or Fastify request to find the body's exact bytes. */
interface RequestWithBody {
  rawBody?: unknown;
  body?: unknown;
  raw?: IncomingMessage;
  headers: IncomingMessage['headers'];
  _body?: boolean;
}

/**
 * `verify` callback for `express.json()` / `bodyParser.json()`: keeps the exact bytes on `req.rawBody`,
 * as Nest's `rawBody: true` does. Use it when your own JSON parser also parses `application/webhook+json`.
 */
export function captureRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buffer;
}

/**
 * The exact bytes of a request body, whatever parsed it before us: `req.rawBody` (Nest's `rawBody: true`
 * or {@link captureRawBody}), a Buffer body (Fastify's buffer parser, `express.raw()`), or the
 * still-unread stream, read here with `limit`. A body some parser consumed without keeping its bytes
 * is a configuration error (500), never a verification failure.
 */
export async function readRawBody(request: unknown, limit: number): Promise<Buffer> {
  const req = request as RequestWithBody;
  if (Buffer.isBuffer(req.rawBody)) return checkedSize(req.rawBody, limit);
  if (Buffer.isBuffer(req.body)) return checkedSize(req.body, limit);
  const stream = req.raw ?? (request as IncomingMessage);
  if (!isUnread(req, stream)) throw new LiveKitRawBodyUnavailableException();
  try {
    return await getRawBody(stream, { limit, length: stream.headers['content-length'] });
  } catch (error) {
    const { status, type } = error as { status?: number; type?: unknown };
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) throw tooLarge(limit);
    // raw-body's own verdicts that someone else already read (or decoded) the stream.
    if (type === 'stream.not.readable' || type === 'stream.encoding.set') throw new LiveKitRawBodyUnavailableException();
    throw new HttpException(`could not read webhook body: ${(error as Error).message}`, status && status < 500 ? status : 400);
  }
}

/**
 * Whether the body stream is still there to read. What parsers leave on `req.body` does not decide it:
 * body-parser 1.x sets `req.body = {}` on requests it skips (such as `application/webhook+json`) without
 * reading them. What decides is whether anything read the stream: body-parser 1.x marks `req._body`, and
 * any reader leaves the stream ended, flowing, or decoding.
 */
function isUnread(req: RequestWithBody, stream: IncomingMessage): boolean {
  if (req._body === true || typeof stream.on !== 'function') return false;
  return !stream.readableEnded && stream.readable !== false && stream.readableFlowing !== true && !stream.readableEncoding;
}

function checkedSize(body: Buffer, limit: number): Buffer {
  if (body.length > limit) throw tooLarge(limit);
  return body;
}

function tooLarge(limit: number): HttpException {
  return new HttpException(`webhook body larger than ${limit} bytes`, HttpStatus.PAYLOAD_TOO_LARGE);
}
