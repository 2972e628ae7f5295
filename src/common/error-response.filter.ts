import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { inspect } from 'node:util';

/** Body of every error answered by our routes: `{ errorMessage }`, as the OpenVidu tutorials answer. */
export interface ErrorResponseBody {
  errorMessage: string;
}

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  message?: unknown;
  expose?: unknown;
}

/** The exception's own fields, or none for thrown primitives (`throw null`, `throw 'text'`). */
function fieldsOf(exception: unknown): HttpLikeError & { type?: unknown } {
  return typeof exception === 'object' && exception !== null ? exception : {};
}

/** The 4xx status an exception carries (an HTTP error's, a body parser's), or undefined for anything else. */
export function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const candidate = fieldsOf(exception);
  const status = candidate.statusCode ?? candidate.status;
  // body-parser, raw-body and Fastify's parsers throw plain errors carrying a 4xx status.
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * Nest's 404 for an unknown route repeats the request line (`Cannot GET /x?access_token=…`): the query, which
 * may carry a credential, stays out of the answer.
 */
function withoutQuery(message: string): string {
  const query = message.indexOf('?');
  return query < 0 ? message : message.slice(0, query);
}

function messageOf(exception: unknown, status: number): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return [...new Set(message.map(String))].join('; ');
    if (typeof message === 'string')
      return exception instanceof NotFoundException && message.startsWith('Cannot ') ? withoutQuery(message) : message;
  }
  // A parser's verdict on the client's body (it carries a 4xx status); a SyntaxError of our own code is a 500.
  if (status < 500 && (fieldsOf(exception).type === 'entity.parse.failed' || exception instanceof SyntaxError)) {
    return 'malformed JSON body';
  }
  const message = fieldsOf(exception).message;
  if (status < 500 && typeof message === 'string' && message) return message;
  return 'Internal server error';
}

/**
 * Renders any exception as `{ errorMessage }` with its HTTP status; anything that is not an
 * HTTP error becomes 500 with a generic message (and is logged, not echoed). Works on Express and Fastify.
 */
@Catch()
export class LiveKitErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('LiveKitErrorResponse');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const status = statusOf(exception) ?? HttpStatus.INTERNAL_SERVER_ERROR;
    if (status >= 500 && !(exception instanceof HttpException)) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : inspect(exception));
    }
    const body: ErrorResponseBody = { errorMessage: messageOf(exception, status) };
    const response: unknown = host.switchToHttp().getResponse();
    this.adapterHost.httpAdapter.reply(response, body, status);
  }
}
