import { type ArgumentsHost, BadRequestException, ForbiddenException, Logger, NotFoundException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { LiveKitRawBodyUnavailableException } from '../webhook/livekit-webhook.errors';
import { LiveKitErrorResponseFilter } from './error-response.filter';

function render(exception: unknown): { body: unknown; status: number } {
  const reply = jest.fn();
  const filter = new LiveKitErrorResponseFilter({ httpAdapter: { reply } } as unknown as HttpAdapterHost);
  const response = {};
  filter.catch(exception, { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost);
  expect(reply).toHaveBeenCalledTimes(1);
  const [target, body, status] = reply.mock.calls[0] as [unknown, unknown, number];
  expect(target).toBe(response);
  return { body, status };
}

describe('LiveKitErrorResponseFilter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'boom'],
    ['a number', 42],
    ['an object without prototype', Object.create(null)],
  ])('answers 500 {errorMessage} when %s is thrown, instead of failing inside the filter', (_, thrown) => {
    expect(render(thrown)).toEqual({ status: 500, body: { errorMessage: 'Internal server error' } });
  });

  it("keeps the query of an unknown route's URL (which may hold a credential) out of Nest's 404 message", () => {
    expect(render(new NotFoundException('Cannot GET /x?access_token=eyJsecret'))).toEqual({
      status: 404,
      body: { errorMessage: 'Cannot GET /x' },
    });
    expect(render(new NotFoundException('participant "a?b" not found'))).toEqual({
      status: 404,
      body: { errorMessage: 'participant "a?b" not found' },
    });
  });

  it("answers 500, not 'malformed JSON body', to a SyntaxError of server code (e.g. a policy's JSON.parse)", () => {
    expect(render(new SyntaxError('Unexpected token u in JSON'))).toEqual({ status: 500, body: { errorMessage: 'Internal server error' } });
  });

  it("answers 400 'malformed JSON body' to body-parser's and Fastify's parse errors", () => {
    const bodyParser = Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400, type: 'entity.parse.failed' });
    const fastify = Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 });
    expect(render(bodyParser)).toEqual({ status: 400, body: { errorMessage: 'malformed JSON body' } });
    expect(render(fastify)).toEqual({ status: 400, body: { errorMessage: 'malformed JSON body' } });
  });

  it('keeps the status and message of HTTP errors, joining validation messages', () => {
    expect(render(new ForbiddenException('not a member'))).toEqual({ status: 403, body: { errorMessage: 'not a member' } });
    expect(render(new BadRequestException(['a is bad', 'b is bad', 'a is bad']))).toEqual({
      status: 400,
      body: { errorMessage: 'a is bad; b is bad' },
    });
    expect(render(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }))).toEqual({
      status: 415,
      body: { errorMessage: 'Unsupported Media Type' },
    });
  });

  it('keeps the message of our own 5xx errors, which say how to fix the setup', () => {
    const { status, body } = render(new LiveKitRawBodyUnavailableException());
    expect(status).toBe(500);
    expect(body).toEqual({ errorMessage: expect.stringContaining('captureRawBody') });
  });
});
