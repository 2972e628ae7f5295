import { request } from 'node:http';

/** One Server-Sent Event as received. */
export interface ReceivedSse {
  type: string;
  data: unknown;
}

export interface SseReader {
  /** The status the stream was answered with. */
  status: number;
  events: ReceivedSse[];
  /** Resolves with the first event (already received or to come) that `match` accepts; fails after `timeoutMs`. */
  next(match: (event: ReceivedSse) => boolean, timeoutMs?: number): Promise<ReceivedSse>;
  /** Whether the server ended the stream. */
  ended(): boolean;
  close(): void;
}

/** Opens `url` as an event stream (with the given headers) and collects its events until closed. */
export function openSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const events: ReceivedSse[] = [];
      const waiters: { match: (e: ReceivedSse) => boolean; resolve: (e: ReceivedSse) => void }[] = [];
      let buffer = '';
      let done = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length === 0) continue;
          const text = data.join('\n');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text
          }
          const event = { type, data: parsed };
          events.push(event);
          for (const waiter of [...waiters]) {
            if (waiter.match(event)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(event);
            }
          }
        }
      });
      res.on('end', () => (done = true));
      res.on('close', () => (done = true));
      resolve({
        status: res.statusCode ?? 0,
        events,
        ended: () => done,
        close: () => req.destroy(),
        next: (match, timeoutMs = 10_000) => {
          const seen = events.find(match);
          if (seen) return Promise.resolve(seen);
          return new Promise<ReceivedSse>((ok, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`)),
              timeoutMs,
            );
            waiters.push({ match, resolve: (e) => (clearTimeout(timer), ok(e)) });
          });
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}
