import { HttpStatus, Logger } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { normalizedRequestPath, type ServedRoute, servesPath } from './route-paths';

/** Routes whose bodies are limited, the limit in bytes, and what the 413 message calls the body. */
export interface BodyLimit {
  routes: readonly ServedRoute[];
  limit: number;
  /** e.g. `'token request body'`: the answer says "token request body larger than 65536 bytes". */
  subject: string;
  /** Told of each request refused here, after its answer (the webhook module logs it). */
  onRefused?: (headers: IncomingHttpHeaders, message: string) => void;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: string): void;
}

interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (
      request: { headers: IncomingMessage['headers']; routeOptions: { method?: string | string[]; url?: string } },
      reply: FastifyReplyLike,
      done: () => void,
    ) => void,
  ): void;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const logger = new Logger('LiveKitBodyLimit');
/** Express servers already gated, with the limits of every module that registered. */
const expressGates = new WeakMap<Server, BodyLimit[]>();

/**
 * Answers `413 {errorMessage}` with `Connection: close`, before any body parser runs (the host's own
 * included), to a request for one of `limit.routes` that declares a `Content-Length` over the limit, and
 * closes the connection after the answer without reading the body: body-parser reads a whole oversized
 * body before its 413. A chunked request to these routes is answered with `Connection: close`, so that
 * whatever answers it before its end (a 413 at the limit, a 401) does not make Node read the rest.
 *
 * Fastify: an `onRequest` hook, which runs before content-type parsing. Express: the host's `app.use()`
 * parsers run before any middleware of ours, so the check goes in front of the Express app on the Node server.
 */
export function limitDeclaredLength(adapter: AbstractHttpAdapter | undefined, limit: BodyLimit): void {
  if (!adapter || limit.routes.length === 0) return;
  if (adapter.getType() === 'fastify') return gateFastify(adapter.getInstance<FastifyLike>(), limit);
  const server = adapter.getHttpServer() as Server | undefined;
  if (!server) return;
  const limits = expressGates.get(server);
  if (limits) {
    limits.push(limit);
    return;
  }
  const app = adapter.getInstance<RequestListener>();
  const listeners = server.listeners('request') as RequestListener[];
  if (!listeners.includes(app)) {
    logger.warn(`the HTTP server does not call the ${adapter.getType()} app directly: Content-Length is not checked before body parsing`);
    return;
  }
  const registered = [limit];
  expressGates.set(server, registered);
  const gated: RequestListener = (req, res) => {
    if (!refusedOnExpress(req, res, registered)) app(req, res);
  };
  // Same order as before: observers prepended to the server (request logs) still see every request.
  server.removeAllListeners('request');
  for (const listener of listeners) server.on('request', listener === app ? gated : listener);
}

function gateFastify(fastify: FastifyLike, limit: BodyLimit): void {
  const keys = new Set(limit.routes.map((route) => `${route.method} ${route.path}`));
  fastify.addHook('onRequest', (request, reply, done) => {
    const { method, url } = request.routeOptions;
    const verdict =
      typeof method === 'string' && url !== undefined && keys.has(`${method} ${url}`) ? verdictOf(request.headers, limit) : 'pass';
    if (verdict === 'refuse') {
      // Answering from the hook without `done()` ends the request before content-type parsing.
      reply.code(HttpStatus.PAYLOAD_TOO_LARGE).header('Connection', 'close').header('Content-Type', JSON_TYPE).send(tooLargeBody(limit));
      limit.onRefused?.(request.headers, tooLargeMessage(limit));
      return;
    }
    if (verdict === 'close') reply.header('Connection', 'close');
    done();
  });
}

/** `refuse`: a declared length over the limit; `close`: a chunked body, answered with `Connection: close`. */
function verdictOf(headers: IncomingMessage['headers'], limit: BodyLimit): 'pass' | 'close' | 'refuse' {
  const declared = headers['content-length'];
  if (declared === undefined) return headers['transfer-encoding'] === undefined ? 'pass' : 'close';
  return Number(declared) > limit.limit ? 'refuse' : 'pass';
}

function tooLargeMessage(limit: BodyLimit): string {
  return `${limit.subject} larger than ${limit.limit} bytes`;
}

function tooLargeBody(limit: BodyLimit): string {
  return JSON.stringify({ errorMessage: tooLargeMessage(limit) });
}

/** True when the request was answered 413 here. */
function refusedOnExpress(req: IncomingMessage, res: ServerResponse, limits: readonly BodyLimit[]): boolean {
  const limit = matchExpress(limits, req);
  const verdict = limit ? verdictOf(req.headers, limit) : 'pass';
  if (verdict === 'close') res.setHeader('Connection', 'close');
  if (verdict !== 'refuse' || !limit) return false;
  const body = tooLargeBody(limit);
  // Connection: close makes Node end the socket once the answer is written, instead of reading the body to reuse it.
  res.writeHead(HttpStatus.PAYLOAD_TOO_LARGE, {
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
  limit.onRefused?.(req.headers, tooLargeMessage(limit));
  return true;
}

/** The limit whose routes Express would route this request to (see {@link normalizedRequestPath}). */
function matchExpress(limits: readonly BodyLimit[], req: IncomingMessage): BodyLimit | undefined {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return undefined;
  const path = normalizedRequestPath(req.url ?? '/');
  for (const limit of limits) {
    if (limit.routes.some((route) => route.method === req.method && servesPath(route, path))) return limit;
  }
  return undefined;
}
