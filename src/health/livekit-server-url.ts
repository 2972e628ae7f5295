/**
 * The HTTP URL livekit-server answers on, from the URL clients are given: `ws://` → `http://`,
 * `wss://` → `https://`, `http(s)://` kept. Undefined for anything else (the check then reports down).
 */
export function toLiveKitHttpUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const protocol = ({ 'ws:': 'http:', 'wss:': 'https:', 'http:': 'http:', 'https:': 'https:' } as Record<string, string>)[parsed.protocol];
  if (protocol === undefined) return undefined;
  parsed.protocol = protocol;
  return parsed.toString();
}
