import { ConfigValidationError } from './config.errors';
import { checkedOrigin, readCorsOrigins } from './cors-origins';

describe('readCorsOrigins', () => {
  it('defaults to *, and keeps * alone', () => {
    expect(readCorsOrigins({})).toBe('*');
    expect(readCorsOrigins({ CORS_ORIGINS: ' * ' })).toBe('*');
  });

  it('lists origins, trimmed, skipping empty entries', () => {
    expect(readCorsOrigins({ CORS_ORIGINS: 'https://a.example, http://b.example:8080,,' })).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
  });

  it('refuses * among origins', () => {
    expect(() => readCorsOrigins({ CORS_ORIGINS: 'https://a.example, *' })).toThrow(/^CORS_ORIGINS mixes "\*" with origins/);
  });

  it('names the bad entry even when the others are good', () => {
    expect(() => readCorsOrigins({ CORS_ORIGINS: 'https://a.example, http://host:8080/' })).toThrow(
      'CORS_ORIGINS entry "http://host:8080/" is not an origin (scheme://host[:port], as browsers send the Origin header). Fix: write http://host:8080',
    );
  });
});

describe('checkedOrigin', () => {
  it.each([
    'https://app.example.com',
    'http://localhost:3000',
    'http://127.0.0.1:8080',
    'https://[::1]:8443',
    'https://xn--caf-dma.example',
  ])('accepts %s', (origin) => {
    expect(checkedOrigin(origin)).toBe(origin);
  });

  it.each([
    ['http://host:8080/', 'write http://host:8080'],
    ['http://x/path', 'write http://x'],
    ['https://x?q=1', 'write https://x'],
    ['https://x#top', 'write https://x'],
    ['HTTPS://App.Example.com', 'write https://app.example.com'],
    ['https://app.example.com:443', 'write https://app.example.com'],
    ['http://user:pass@x', 'write http://x'],
    ['host:8080', 'write https://host:8080 or http://host:8080'],
    ['app.example.com', 'write https://app.example.com or http://app.example.com'],
    ['http://', 'write scheme://host[:port], e.g. https://app.example.com'],
  ])('refuses %s: %s', (entry, fix) => {
    expect(() => checkedOrigin(entry)).toThrow(ConfigValidationError);
    expect(() => checkedOrigin(entry)).toThrow(`CORS_ORIGINS entry ${JSON.stringify(entry)} is not an origin`);
    expect(() => checkedOrigin(entry)).toThrow(`Fix: ${fix}`);
  });

  it.each(['ftp://x', 'file:///etc', 'ws://x'])('refuses %s: not http or https', (entry) => {
    expect(() => checkedOrigin(entry)).toThrow(`CORS_ORIGINS entry ${JSON.stringify(entry)} is not an http or https origin`);
  });
});
