import { Logger } from '@nestjs/common';
import { captureLogLines } from '../../../test/support/log-capture';
import pino from 'pino';
import { basePinoOptions } from './pino-options';
import { PinoNestLogger } from './pino-nest-logger';

function setup(level: 'info' | 'trace' = 'info') {
  const { stream, lines } = captureLogLines();
  return { logger: new PinoNestLogger(pino(basePinoOptions(level), stream)), lines };
}

describe('PinoNestLogger', () => {
  afterEach(() => {
    Logger.overrideLogger(false);
  });

  it("writes Nest's log calls as JSON lines with their context and pino level", () => {
    const { logger, lines } = setup();
    Logger.overrideLogger(logger);
    new Logger('Ctx').log('hello');
    new Logger('Ctx').warn('careful');
    new Logger('Ctx').debug('hidden at info');
    expect(lines().map(({ level, context, msg }) => ({ level, context, msg }))).toEqual([
      { level: 30, context: 'Ctx', msg: 'hello' },
      { level: 40, context: 'Ctx', msg: 'careful' },
    ]);
  });

  it('keeps the stack of errors, given as a string or as an Error', () => {
    const { logger, lines } = setup();
    logger.error('failed', 'Error: failed\n    at here', 'Ctx');
    logger.error(new Error('boom'), 'Ctx');
    const [first, second] = lines();
    expect(first).toMatchObject({ level: 50, context: 'Ctx', msg: 'failed', stack: 'Error: failed\n    at here' });
    expect(second).toMatchObject({ level: 50, context: 'Ctx', msg: 'boom', err: { message: 'boom' } });
    expect(String((second?.err as { stack: string }).stack)).toContain('boom');
  });

  it('merges an object message into the line, its msg as the message, with redaction applied', () => {
    const { logger, lines } = setup();
    logger.log({ msg: 'livekit event room_started', event: 'room_started', token: 'eyJsecret' }, 'LiveKitEvent');
    expect(lines()[0]).toMatchObject({
      msg: 'livekit event room_started',
      event: 'room_started',
      context: 'LiveKitEvent',
      token: '[Redacted]',
    });
  });

  it('maps verbose to trace and fatal to fatal', () => {
    const { logger, lines } = setup('trace');
    logger.verbose('v', 'Ctx');
    logger.fatal('f', 'Ctx');
    expect(lines().map((l) => l.level)).toEqual([10, 60]);
  });
});
