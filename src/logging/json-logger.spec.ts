import { Writable } from 'node:stream';
import { createJsonLoggers } from './json-logger';

describe('createJsonLoggers', () => {
  it('writes both loggers to one destination at the level; only the main logger redacts', () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const { main, requests } = createJsonLoggers('info', destination);
    main.info({ token: 'eyJmain' }, 'main line');
    requests.info({ req: { url: '/token' } }, 'request completed');
    requests.debug('below the level');
    const lines = chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'main line', token: '[Redacted]', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
      expect.objectContaining({ msg: 'request completed', req: { url: '/token' }, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    ]);
  });
});
