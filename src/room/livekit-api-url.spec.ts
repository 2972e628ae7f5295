import { toLiveKitApiUrl } from './livekit-api-url';

describe('toLiveKitApiUrl', () => {
  it.each([
    ['ws://127.0.0.1:7880', 'http://127.0.0.1:7880'],
    ['wss://lk.example.com', 'https://lk.example.com'],
    ['wss://lk.example.com/', 'https://lk.example.com'],
    ['http://livekit.internal:7880', 'http://livekit.internal:7880'],
    ['https://lk.example.com', 'https://lk.example.com'],
    ['WS://LK.example.com:443', 'http://lk.example.com:443'],
  ])('%s → %s', (url, expected) => {
    expect(toLiveKitApiUrl(url)).toBe(expected);
  });

  it.each([['localhost:7880'], ['ftp://lk.example.com'], ['not a url']])('refuses %j at boot with a fix', (url) => {
    expect(() => toLiveKitApiUrl(url)).toThrow(/Fix: use ws/);
  });
});
