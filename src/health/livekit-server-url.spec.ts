import { toLiveKitHttpUrl } from './livekit-server-url';

describe('toLiveKitHttpUrl', () => {
  it.each([
    ['ws://localhost:7880', 'http://localhost:7880/'],
    ['wss://lk.example.com', 'https://lk.example.com/'],
    ['wss://lk.example.com/base', 'https://lk.example.com/base'],
    ['http://10.0.0.5:7880', 'http://10.0.0.5:7880/'],
    ['https://lk.example.com', 'https://lk.example.com/'],
  ])('probes %s at %s', (url, expected) => {
    expect(toLiveKitHttpUrl(url)).toBe(expected);
  });

  it.each(['not a url', 'ftp://lk.example.com', 'lk.example.com:7880'])('has no HTTP form for %s', (url) => {
    expect(toLiveKitHttpUrl(url)).toBeUndefined();
  });
});
