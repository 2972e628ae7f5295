import type { Server } from 'node:http';
import type { HttpServerLimits } from './config/server.config';

/** Node reads it from the instance, though @types/node declares it only as a `createServer` option. */
type CheckedServer = Server & { connectionsCheckingInterval: number };

/**
 * Applies the limits to the Node server under Express or Fastify (Fastify sets its own keep-alive of 72 s
 * at creation; these replace it). Call before `listen`: Node reads the checking interval on 'listening'.
 */
export function applyHttpServerLimits(server: Server, limits: HttpServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  // Node checks the two timeouts above every 30 s by default, so a 10 s limit held up to 40 s.
  (server as CheckedServer).connectionsCheckingInterval = Math.min(1000, Math.max(10, Math.floor(limits.headersTimeoutMs / 10)));
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.timeout = limits.socketTimeoutMs;
}
