import { captureLogLines } from '../../../test/support/log-capture';
import { createJsonLoggers } from './json-logger';

describe('createJsonLoggers', () => {
  it('writes both loggers to one destination at the level; only the main logger redacts', () => {
    const { stream, lines } = captureLogLines();
    const { main, fixedFields } = createJsonLoggers('info', stream);
    main.info({ token: 'eyJmain' }, 'main line');
    fixedFields.info({ req: { url: '/token' } }, 'request completed');
    fixedFields.debug('below the level');
    expect(lines()).toEqual([
      expect.objectContaining({ msg: 'main line', token: '[Redacted]', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
      expect.objectContaining({ msg: 'request completed', req: { url: '/token' }, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    ]);
  });
});
