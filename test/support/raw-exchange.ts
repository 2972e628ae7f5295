import { connect } from 'node:net';

/** Bytes written to the socket, after a pause (slow senders). */
export interface RawPiece {
  bytes: Buffer;
  pauseMs?: number;
}

export interface RawExchange {
  pieces: RawPiece[];
  /** End our side after the last piece: a body shorter than announced is then an aborted request, not a slow one. */
  halfClose?: boolean;
  /** The request is a HEAD: the answer has no body whatever its headers say. */
  head?: boolean;
  /** How long to wait, after the last piece, for a whole answer or the server's close. */
  timeoutMs: number;
}

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** What became of a request: a whole answer, a close (or reset) by the server before one, or neither in time. */
export type RawOutcome =
  | { kind: 'response'; response: RawResponse; ms: number }
  | { kind: 'closed'; received: number; ms: number; error?: string }
  | { kind: 'hang'; received: number; ms: number };

/** Writes exactly the given bytes to 127.0.0.1:port and reads the first answer (interim 1xx answers skipped). */
export function exchange(port: number, request: RawExchange): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = Date.now();
    let lastByteAt = started;
    let received = Buffer.alloc(0);
    let error: string | undefined;
    let settled = false;
    const pauses = request.pieces.reduce((sum, piece) => sum + (piece.pauseMs ?? 0), 0);
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve(outcome);
    };
    const since = () => Date.now() - lastByteAt;
    // The bound runs from the start plus the planned pauses: a server that stops reading must not stall us.
    const deadline = setTimeout(() => finish({ kind: 'hang', received: received.length, ms: since() }), request.timeoutMs + pauses);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const response = parseResponse(received, request.head === true, false);
      if (response) finish({ kind: 'response', response, ms: since() });
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      const response = parseResponse(received, request.head === true, true);
      finish(response ? { kind: 'response', response, ms: since() } : { kind: 'closed', received: received.length, ms: since(), error });
    });
    socket.once('connect', () => {
      void (async () => {
        for (const piece of request.pieces) {
          if (piece.pauseMs) await new Promise((r) => setTimeout(r, piece.pauseMs));
          if (settled || !socket.writable) return;
          socket.write(piece.bytes);
          lastByteAt = Date.now();
        }
        if (request.halfClose && socket.writable) socket.end();
      })();
    });
  });
}

/** The first final answer in `data`, once it is whole (a body without length ends with the connection). */
export function parseResponse(data: Buffer, head: boolean, closed: boolean): RawResponse | undefined {
  let offset = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', offset);
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = data.subarray(offset, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    if (!status) return undefined;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const bodyStart = end + 4;
    if (status < 200 && status !== 101) {
      offset = bodyStart;
      continue;
    }
    if (head || status === 101 || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
    if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      const body = dechunk(data.subarray(bodyStart));
      return body && { status, headers, body };
    }
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      return data.length - bodyStart >= length ? { status, headers, body: data.subarray(bodyStart, bodyStart + length) } : undefined;
    }
    return closed ? { status, headers, body: data.subarray(bodyStart) } : undefined;
  }
}

function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return data.indexOf('\r\n\r\n', lineEnd) >= 0 ? Buffer.concat(parts) : undefined;
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** The bytes of a well-formed HTTP/1.1 request with a Content-Length body. */
export function requestBytes(method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): Buffer {
  const payload = body === undefined ? undefined : Buffer.from(body);
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (payload) lines.push(`Content-Length: ${payload.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload ?? Buffer.alloc(0)]);
}
