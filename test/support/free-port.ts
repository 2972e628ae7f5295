import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** The only address the harness binds or talks to. */
export const LOOPBACK = '127.0.0.1';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: the kernel picks it (bind to port 0), we release it.
 * Another process may grab it before the caller binds, so callers must retry on EADDRINUSE.
 */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no TCP port assigned'))));
    });
  });
}

/** A UDP port on 127.0.0.1 that was free a moment ago; the same caveat as {@link freeTcpPort}. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
