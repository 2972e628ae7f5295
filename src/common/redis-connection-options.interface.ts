import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';

/** One Redis (or Sentinel) address. */
export interface LiveKitRedisNode {
  host: string;
  port: number;
}

/** A primary watched by Redis Sentinel: ioredis asks the sentinels where the primary is, and follows failovers. */
export interface LiveKitRedisSentinelOptions {
  /** Addresses of the sentinels (at least one; give all of them, so that any one can answer). */
  sentinels: LiveKitRedisNode[];
  /** Name of the primary, as in the sentinels' `sentinel monitor <name> …`. */
  masterName: string;
  /**
   * Username of the sentinels themselves (ACL), when they require one.
   * @default none
   */
  sentinelUsername?: string;
  /**
   * Password of the sentinels themselves (`requirepass` in sentinel.conf), which may differ from the data nodes'.
   * @default none
   */
  sentinelPassword?: string;
  /**
   * TLS to the sentinels (`true`, or Node's TLS options).
   * @default the same as `tls`
   */
  sentinelTls?: boolean | ConnectionOptions;
}

/** A Redis Cluster: ioredis discovers every node and slot from these seeds and follows failovers and resharding. */
export interface LiveKitRedisClusterOptions {
  /** Some nodes of the cluster (seeds); one that answers is enough, several survive one being down. */
  nodes: LiveKitRedisNode[];
}

/**
 * Where Redis is: exactly one of `url` (one node), `sentinel` or `cluster`. Written once, shared by every
 * Redis use of the library (durable webhook mode, the token rate limit).
 */
export interface LiveKitRedisConnectionOptions {
  /**
   * One Redis node: `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS.
   * @default none
   */
  url?: string;
  /**
   * Redis Sentinel: the primary is found through the sentinels and followed across failovers.
   * @default none
   */
  sentinel?: LiveKitRedisSentinelOptions;
  /**
   * Redis Cluster. Keys of one queue must share a slot: give the queue's `prefix` a hash tag (`{lk-webhooks}`).
   * @default none
   */
  cluster?: LiveKitRedisClusterOptions;
  /**
   * ACL username of the data nodes (with `sentinel` or `cluster`; with `url`, write it in the URL).
   * @default none
   */
  username?: string;
  /**
   * Password of the data nodes (with `sentinel` or `cluster`; with `url`, write it in the URL).
   * @default none
   */
  password?: string;
  /**
   * TLS to the data nodes: `true`, or Node's TLS options (`ca`, `servername`…). With `url`, `rediss://` also turns it on.
   * @default false
   */
  tls?: boolean | ConnectionOptions;
  /**
   * Further ioredis options (`db`, `family`, `connectTimeout`…), merged over the above. On Cluster they
   * apply to each node's connection. `keyPrefix` is not supported.
   * @default {}
   */
  redisOptions?: RedisOptions;
}
