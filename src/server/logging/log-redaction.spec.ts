import { redactUrl } from './log-redaction';

/** The backtracking pattern `redactUrl` replaced: the reference its output must equal on every URL. */
const PREVIOUS_PATTERN = /([?&][^=&#]*(?:token|secret|password|key|signature)[^=&#]*=)[^&#]*/gi;
const previousRedactUrl = (url: string) => (url.includes('?') ? url.replace(PREVIOUS_PATTERN, '$1[Redacted]') : url);

describe('redactUrl', () => {
  it.each([
    ['/token', '/token'],
    ['/rooms?limit=5', '/rooms?limit=5'],
    ['/join?access_token=eyJabc&room=r', '/join?access_token=[Redacted]&room=r'],
    ['/x?apiKey=k1&secret=s&sig=1', '/x?apiKey=[Redacted]&secret=[Redacted]&sig=1'],
    ['/x?a=1&access_token=x#frag', '/x?a=1&access_token=[Redacted]#frag'],
    ['/x?API_KEY=k&Password=p&X-Signature=s', '/x?API_KEY=[Redacted]&Password=[Redacted]&X-Signature=[Redacted]'],
    ['/x?token=&room=r', '/x?token=[Redacted]&room=r'],
    // A name with a `?` inside, and a second `?` where a client joined two query strings.
    ['/x?a?token=t&b=2', '/x?a?token=[Redacted]&b=2'],
    ['/join?room=r?access_token=eyJabc', '/join?room=r?access_token=[Redacted]'],
    // Empty names and empty parameters.
    ['/x?=v&=&&token=t&&', '/x?=v&=&&token=[Redacted]&&'],
    ['/x?', '/x?'],
    // Repeated `?`, and sensitive words without a value.
    ['/x???token=t', '/x???token=[Redacted]'],
    ['/x?token?token?token', '/x?token?token?token'],
    ['/x?token&secret', '/x?token&secret'],
    ['/x?to?ken=1', '/x?to?ken=1'],
    // The value ends at `&` or `#`, and `=` inside a value is part of it.
    ['/x?token=a=b#c&d', '/x?token=[Redacted]#c&d'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(previousRedactUrl(url)).toBe(expected);
  });

  it.each([
    ['/x?%74oken=t&a=1', '/x?%74oken=[Redacted]&a=1'],
    ['/x?access%5Ftoken=t', '/x?access%5Ftoken=[Redacted]'],
    ['/x?api+key=k', '/x?api+key=[Redacted]'],
    ['/x?%E0%A4%A=1&token=t', '/x?%E0%A4%A=1&token=[Redacted]'],
  ])('reads percent-encoded names as the app does: %s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('writes what the previous pattern wrote on every short URL made of the characters that matter', () => {
    const pieces = ['?', '&', '=', '#', 'a', '/', 'token', 'KEY', 'x', 'secret', 'tok', 'en'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      let url = '/p';
      for (let n = next() % 12; n > 0; n--) url += pieces[next() % pieces.length];
      expect([url, redactUrl(url)]).toEqual([url, previousRedactUrl(url)]);
    }
  });

  // Sizes grow so that a super-linear version fails on a small URL rather than stalling the suite for minutes;
  // the best of three runs, so that a GC pause or a busy machine does not count.
  it.each([
    ['?token', '?token'],
    ['&token', '&token'],
    ['?a=', '?a='],
    ['=', '='],
    ['?', '?'],
    ['&', '&'],
    ['tokentoken', 'token'],
    ['?token=', '?token='],
    ['?k', '?k'],
    ['?tokenx=&', '?tokenx=&'],
    ['?a=?token', '?a=?token'],
  ])('stays linear on %s repeated up to 64 KB', (_name, unit) => {
    redactUrl(`/x?${unit.repeat(100)}`);
    for (const size of [1024, 4096, 16 * 1024, 64 * 1024]) {
      const url = `/x?${unit.repeat(Math.ceil(size / unit.length))}`;
      let best = Infinity;
      for (let run = 0; run < 3 && best >= 50; run++) {
        const started = process.hrtime.bigint();
        redactUrl(url);
        best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
      }
      expect([size, best < 50]).toEqual([size, true]);
    }
  });
});
