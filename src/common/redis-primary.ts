import type { Redis } from 'ioredis';
import { hashTagOf, isCluster, type LiveKitRedisClient } from './redis-connection';

const SLOTS = 16384;

/** CRC16/XMODEM, the checksum Redis Cluster maps keys to slots with. */
function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The Redis Cluster slot of a key (its hash tag's, when it has one). */
export function clusterSlotOf(key: string): number {
  return crc16(hashTagOf(key) ?? key) % SLOTS;
}

/**
 * The connection that carries commands on `key`: the client itself for one node or a Sentinel primary;
 * on Cluster, the connection to the primary that owns the key's slot right now (undefined while no
 * primary owns it, e.g. during a failover). A command sent on it runs on that primary, on the same
 * socket as the key's writes: what `WAIT` needs.
 */
export function connectionOwning(client: LiveKitRedisClient, key: string): Redis | undefined {
  if (!isCluster(client)) return client;
  const owner = primaryAddressOf(client, key);
  if (owner === undefined) return undefined;
  return client.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === owner);
}

/** `host:port` of the primary the client writes `key` to now; `undefined` while unknown. */
export function primaryAddressOf(client: LiveKitRedisClient, key: string): string | undefined {
  if (isCluster(client)) return client.slots[clusterSlotOf(key)]?.[0];
  const stream = (client as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
  return client.status === 'ready' && stream?.remoteAddress ? `${stream.remoteAddress}:${stream.remotePort}` : undefined;
}

/**
 * Calls `onChange(previous, next)` whenever the primary that owns `key` changes: a one-node or Sentinel
 * client connected again to another address (a promoted replica), or a Cluster whose slot map now
 * names another primary for the key's slot. The first primary seen is not a change.
 */
export function watchPrimary(client: LiveKitRedisClient, key: string, onChange: (previous: string, next: string) => void): void {
  let current: string | undefined;
  const look = () => {
    const seen = primaryAddressOf(client, key);
    if (seen === undefined || seen === current) return;
    if (current !== undefined) onChange(current, seen);
    current = seen;
  };
  if (isCluster(client)) client.on('refresh', look);
  client.on('ready', look);
}

/**
 * Counts the (re)connections of a client, so that a caller can tell whether the socket a command went
 * out on is still the one a later command takes. Cluster: counts the node connections' reconnections too.
 */
export class ConnectionEpoch {
  private epoch = 0;

  constructor(client: LiveKitRedisClient) {
    const bump = () => (this.epoch += 1);
    client.on('ready', bump);
    client.on('reconnecting', bump);
    if (isCluster(client)) {
      client.on('+node', (node: Redis) => {
        node.on('reconnecting', bump);
        node.on('ready', bump);
      });
      client.on('-node', bump);
    }
  }

  get value(): number {
    return this.epoch;
  }
}
