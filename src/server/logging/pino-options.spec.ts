import pino from 'pino';
import { captureLogLines } from '../../../test/support/log-capture';
import { basePinoOptions } from './pino-options';

describe('basePinoOptions', () => {
  it('redacts credentials in headers and token or secret fields', () => {
    const out = captureLogLines();
    const logger = pino(basePinoOptions('info'), out.stream);
    logger.info({
      req: { headers: { authorization: 'Bearer eyJ.secret.jwt', cookie: 'sid=1', 'x-api-key': 'k', accept: '*/*' } },
      res: { headers: { 'set-cookie': 'sid=2' } },
      token: 'eyJtop',
      body: { participant_token: 'eyJnested', apiSecret: 'shh', adminToken: 'admin', room: 'kept' },
    });
    const [line] = out.lines();
    const text = JSON.stringify(line);
    for (const leaked of ['eyJ.secret.jwt', 'sid=1', 'sid=2', 'eyJtop', 'eyJnested', 'shh', '"admin"']) expect(text).not.toContain(leaked);
    expect(line).toMatchObject({ req: { headers: { authorization: '[Redacted]', accept: '*/*' } }, body: { room: 'kept' } });
  });

  it('writes at the configured level and above', () => {
    const out = captureLogLines();
    const logger = pino(basePinoOptions('warn'), out.stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });
});
