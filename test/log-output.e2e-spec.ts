import { LOG_BLOCK_BYTES } from '../src/server/logging/log-destination';
import { type ServerProcess, spawnStandalone, waitFor, waitUntilListening } from './support/spawn-server';

const ENV = { LIVEKIT_API_KEY: 'log-key', LIVEKIT_API_SECRET: 'log-secret-0123456789abcdef0123456789abcdef' };

function requestLines(server: ServerProcess, tag: string): string[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes('"request completed"') && line.includes(tag));
}

async function issueTokens(server: ServerProcess, tag: string, count: number): Promise<void> {
  const statuses = await Promise.all(
    Array.from({ length: count }, (_, n) =>
      fetch(`http://127.0.0.1:${server.port}/token?n=${tag}-${n}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ roomName: 'log-room', participantName: `${tag}-${n}` }),
      }).then((res) => res.status),
    ),
  );
  expect(statuses.every((status) => status === 200)).toBe(true);
}

describe.each(['express', 'fastify'])('log output of the standalone server on %s (buffered in blocks)', (adapter) => {
  it('writes an idle server’s line out within the flush interval, without more traffic', async () => {
    const server = await spawnStandalone({ ...ENV, HTTP_ADAPTER: adapter });
    try {
      await waitUntilListening(server);
      await issueTokens(server, 'idle', 1);
      await waitFor(() => requestLines(server, 'idle-0').length === 1, 2000, 'the request line of an idle server');
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('writes every buffered line out on SIGTERM', async () => {
    const server = await spawnStandalone({ ...ENV, HTTP_ADAPTER: adapter });
    await waitUntilListening(server);
    await issueTokens(server, 'term', 200);
    server.child.kill('SIGTERM');
    await server.exited;
    expect(requestLines(server, 'term-')).toHaveLength(200);
  }, 30_000);

  it(`loses at most one block (${LOG_BLOCK_BYTES} bytes) of lines on SIGKILL`, async () => {
    const server = await spawnStandalone({ ...ENV, HTTP_ADAPTER: adapter });
    await waitUntilListening(server);
    await issueTokens(server, 'kill', 200);
    server.child.kill('SIGKILL');
    await server.exited;
    const written = requestLines(server, 'kill-');
    const lineBytes = Math.max(...written.map((line) => Buffer.byteLength(line) + 1));
    const lost = 200 - written.length;
    // Reported, so that the documented bound is a measured one.
    process.stdout.write(`${adapter}: SIGKILL right after 200 requests lost ${lost} request lines (${lineBytes} bytes each)\n`);
    expect(lost * lineBytes).toBeLessThanOrEqual(LOG_BLOCK_BYTES + lineBytes);
  }, 30_000);
});
