import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { LiveKitRedisConnectionOptions, LiveKitRedisNode } from './redis-connection-options.interface';
import { ioRedis } from './redis-packages';

/** Which kind of Redis deployment a connection talks to. */
export type LiveKitRedisTopology = 'single' | 'sentinel' | 'cluster';

/** A client of any topology: ioredis' `Redis` (one node, or a Sentinel-managed primary) or `Cluster`. */
export type LiveKitRedisClient = Redis | Cluster;

/** How a bad connection option is reported: each feature throws its own error class. */
export type RedisOptionsFailure = (problem: string, fix: string) => Error;

/** What a feature sets on its own connections, whatever the topology (on Cluster, `retryStrategy` is the cluster's). */
export type RedisConnectionOverrides = Pick<
  RedisOptions,
  'retryStrategy' | 'enableOfflineQueue' | 'maxRetriesPerRequest' | 'commandTimeout' | 'connectionName' | 'lazyConnect'
>;

const URL_PATTERN = /^rediss?:\/\//i;

/**
 * {@link LiveKitRedisConnectionOptions} checked once at boot. Exactly one of `url`, `sentinel`, `cluster`;
 * `create` opens a client with ioredis' own Sentinel and Cluster support.
 */
export class ResolvedRedisConnection {
  readonly topology: LiveKitRedisTopology;
  private readonly options: LiveKitRedisConnectionOptions;

  constructor(options: LiveKitRedisConnectionOptions, fail: RedisOptionsFailure) {
    const url = options.url?.trim() || undefined;
    const given = [url && 'url', options.sentinel && 'sentinel', options.cluster && 'cluster'].filter(Boolean);
    if (given.length !== 1) {
      throw fail(
        given.length === 0 ? 'needs a Redis url, sentinel or cluster' : `${given.join(' and ')} are given together`,
        "pass exactly one of url: 'redis://host:6379', sentinel: { sentinels, masterName } or cluster: { nodes } " +
          '(standalone: REDIS_URL, REDIS_SENTINELS + REDIS_SENTINEL_MASTER, or REDIS_CLUSTER_NODES)',
      );
    }
    if (url && !URL_PATTERN.test(url)) {
      throw fail(
        `url ${JSON.stringify(redactRedisUrl(url))} is not a Redis URL`,
        'write redis://[user:password@]host:port[/db], or rediss:// for TLS',
      );
    }
    if (options.sentinel) {
      checkNodes('sentinel.sentinels', options.sentinel.sentinels, fail);
      if (!options.sentinel.masterName?.trim()) {
        throw fail(
          'sentinel.masterName is empty',
          'set it to the name in the sentinels’ `sentinel monitor <name> …` (REDIS_SENTINEL_MASTER)',
        );
      }
    }
    if (options.cluster) checkNodes('cluster.nodes', options.cluster.nodes, fail);
    if (options.redisOptions?.keyPrefix) {
      throw fail('redisOptions.keyPrefix is not supported', 'use the feature’s own prefix option instead');
    }
    this.topology = options.sentinel ? 'sentinel' : options.cluster ? 'cluster' : 'single';
    this.options = { ...options, url };
  }

  /** Where Redis is, without any secret, for logs. */
  get description(): string {
    const { url, sentinel, cluster } = this.options;
    if (sentinel) return `Sentinel primary "${sentinel.masterName}" via ${addresses(sentinel.sentinels)}`;
    if (cluster) return `Cluster via ${addresses(cluster.nodes)}`;
    return redactRedisUrl(url ?? '');
  }

  /**
   * A new client. `forced` are the feature's own needs, applied over the user's `redisOptions`; `defaults`
   * are its defaults, which the user's `redisOptions` override.
   */
  create(forced: RedisConnectionOverrides = {}, defaults: RedisConnectionOverrides = {}): LiveKitRedisClient {
    const { Redis: RedisClass, Cluster: ClusterClass } = ioRedis();
    const { url, sentinel, cluster, username, password, redisOptions } = this.options;
    const tls = tlsOf(this.options.tls);
    const auth: RedisOptions = { ...(username ? { username } : {}), ...(password ? { password } : {}), ...(tls ? { tls } : {}) };
    const merged: RedisOptions = { ...defaults, ...redisOptions, ...forced };
    if (cluster) {
      const { retryStrategy, enableOfflineQueue } = merged;
      const clusterOptions: ClusterOptions = {
        redisOptions: { ...auth, ...withoutNodeOnly(merged) },
        // Follow a failover quickly: retry a command on MOVED/CLUSTERDOWN/connection loss after 100 ms.
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
        retryDelayOnTryAgain: 100,
        slotsRefreshTimeout: 2000,
        ...(retryStrategy ? { clusterRetryStrategy: retryStrategy } : {}),
        ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      };
      return new ClusterClass(cluster.nodes, clusterOptions);
    }
    if (sentinel) {
      const sentinelTls = tlsOf(sentinel.sentinelTls ?? this.options.tls);
      return new RedisClass({
        sentinels: sentinel.sentinels,
        name: sentinel.masterName,
        ...auth,
        ...(sentinel.sentinelUsername ? { sentinelUsername: sentinel.sentinelUsername } : {}),
        ...(sentinel.sentinelPassword ? { sentinelPassword: sentinel.sentinelPassword } : {}),
        ...(sentinelTls ? { sentinelTLS: sentinelTls, enableTLSForSentinelMode: true } : {}),
        // Subscribe to the sentinels' +switch-master: reconnect to the new primary as soon as it is elected.
        failoverDetector: true,
        ...merged,
      });
    }
    return new RedisClass(url ?? '', { ...auth, ...merged });
  }
}

/** `redis://user:secret@host` → `redis://user:***@host`. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/**
 * The hash tag of a key as Redis Cluster computes it: the text between the first `{` and the next `}`,
 * when not empty. Keys with the same tag are in the same slot.
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

/** Whether a client is an ioredis `Cluster`. */
export function isCluster(client: LiveKitRedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

function tlsOf(tls: LiveKitRedisConnectionOptions['tls']): RedisOptions['tls'] {
  if (tls === true) return {};
  return tls || undefined;
}

/** Options ioredis Cluster manages itself: left out of the node options. */
const CLUSTER_MANAGED = new Set(['port', 'host', 'path', 'sentinels', 'retryStrategy', 'enableOfflineQueue']);

/** The user's redisOptions without what ioredis Cluster manages itself. */
function withoutNodeOnly(options: RedisOptions | undefined): NonNullable<ClusterOptions['redisOptions']> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([key]) => !CLUSTER_MANAGED.has(key)));
}

function checkNodes(option: string, nodes: readonly LiveKitRedisNode[] | undefined, fail: RedisOptionsFailure): void {
  if (!Array.isArray(nodes) || nodes.length === 0) throw fail(`${option} is empty`, `give at least one { host, port }`);
  for (const node of nodes) {
    const { host, port } = (node ?? {}) as Partial<LiveKitRedisNode>;
    if (typeof host !== 'string' || !host.trim() || !Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
      throw fail(
        `${option} has an address that is not host and port 1-65535: ${JSON.stringify(node)}`,
        'write { host: "10.0.0.1", port: 26379 }',
      );
    }
  }
}

function addresses(nodes: readonly LiveKitRedisNode[]): string {
  return nodes.map((node) => `${node.host}:${node.port}`).join(',');
}

/**
 * Resolves once `client` is connected, or after `timeoutMs`: a feature waits briefly for its first
 * connection at boot so that its first requests find Redis, and never fails the boot over it.
 */
export async function firstConnection(client: LiveKitRedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  let onReady: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    onReady = resolve;
    timer = setTimeout(resolve, timeoutMs);
    client.once('ready', onReady);
  });
  clearTimeout(timer);
  if (onReady) client.off('ready', onReady);
}
