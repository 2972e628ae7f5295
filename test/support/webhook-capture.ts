import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface CapturedRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A plain node:http endpoint on 127.0.0.1 that keeps every request's exact bytes and answers 200. */
export async function startWebhookCapture(): Promise<{ url: string; requests: CapturedRequest[]; close: () => Promise<void> }> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/capture`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
