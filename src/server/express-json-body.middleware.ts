import { BadRequestException, HttpStatus, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';

type JsonRequest = IncomingMessage & { body?: unknown; rawBody?: Buffer };

/**
 * The standalone Express server's JSON body parser: body-parser's `json()` contract (`application/json`,
 * UTF-8, objects and arrays only, `{}` for an empty body) and the bytes kept on `req.rawBody`, as
 * `rawBody: true` keeps them. Unlike body-parser, which reads the rest of a body over the limit before it
 * answers, it answers 413 as soon as the limit is passed and closes the connection, so a chunked body is
 * cut there. Compressed bodies get 415 (Fastify's parser does not inflate them either).
 */
export function expressJsonBody(limit: number): (req: JsonRequest, res: ServerResponse, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    const { headers } = req;
    if (headers['transfer-encoding'] === undefined && headers['content-length'] === undefined) return next();
    const [type = '', ...params] = (headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
    if (type !== 'application/json') return next();
    const charset = params
      .find((param) => param.startsWith('charset='))
      ?.slice('charset='.length)
      .replace(/"/g, '');
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return refuse(res, next, new UnsupportedMediaTypeException(`unsupported charset "${charset}"`));
    }
    const encoding = headers['content-encoding']?.toLowerCase() ?? 'identity';
    if (encoding !== 'identity') return refuse(res, next, new UnsupportedMediaTypeException(`unsupported content encoding "${encoding}"`));
    getRawBody(req, { length: headers['content-length'], limit }, (error, raw) => {
      if (error) {
        const tooLarge = (error as { status?: number }).status === HttpStatus.PAYLOAD_TOO_LARGE;
        return refuse(
          res,
          next,
          tooLarge ? new PayloadTooLargeException(`body larger than ${limit} bytes`) : new BadRequestException(error.message),
        );
      }
      req.rawBody = raw;
      const text = raw.toString('utf8').replace(/^\uFEFF/, '');
      if (!text.trim()) {
        req.body = {};
        return next();
      }
      // As body-parser's `strict`: only objects and arrays.
      if (!/^\s*[{[]/.test(text)) return next(new BadRequestException('malformed JSON body'));
      try {
        req.body = JSON.parse(text) as unknown;
      } catch {
        return next(new BadRequestException('malformed JSON body'));
      }
      next();
    });
  };
}

/** Answers with `Connection: close`: what is left of the body is never read. */
function refuse(res: ServerResponse, next: (error: unknown) => void, error: Error): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
  next(error);
}
