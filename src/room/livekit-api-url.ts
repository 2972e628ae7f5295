import { LiveKitOptionsError } from '../livekit/livekit.errors';

/**
 * The HTTP base URL of livekit-server's API from a client URL: `ws://` → `http://`, `wss://` → `https://`;
 * `http(s)://` is kept. Throws at boot for anything else.
 */
export function toLiveKitApiUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LiveKitOptionsError(`LiveKit URL ${JSON.stringify(url)} is not a URL`, 'use ws(s)://host:port or http(s)://host:port');
  }
  const protocol = { 'ws:': 'http:', 'wss:': 'https:', 'http:': 'http:', 'https:': 'https:' }[parsed.protocol];
  if (protocol === undefined) {
    throw new LiveKitOptionsError(`LiveKit URL ${JSON.stringify(url)} has protocol ${parsed.protocol}`, 'use ws(s):// or http(s)://');
  }
  parsed.protocol = protocol;
  return parsed.toString().replace(/\/$/, '');
}
