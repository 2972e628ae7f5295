import type { LiveKitRedisConnectionOptions, LiveKitRedisNode } from '../../queue';
import { ConfigValidationError } from './config.errors';
import { type Env, readEnum, readString } from './env-readers';

const TOPOLOGY_VARIABLES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;
/** `host:port` or `[ipv6]:port`; linear (no nested quantifiers). */
const ADDRESS = /^(?:\[([^\]\s]+)\]|([^:\s[\]]+)):(\d{1,5})$/;

/**
 * Where Redis is, shared by durable mode and the token rate limit: one of `REDIS_URL`, `REDIS_SENTINELS`
 * (+ `REDIS_SENTINEL_MASTER`, `REDIS_SENTINEL_USERNAME`/`REDIS_SENTINEL_PASSWORD`) or `REDIS_CLUSTER_NODES`,
 * with `REDIS_USERNAME`, `REDIS_PASSWORD` and `REDIS_TLS` for the data nodes. Undefined when none is set.
 */
export function loadRedisConnection(env: Env): LiveKitRedisConnectionOptions | undefined {
  const given = TOPOLOGY_VARIABLES.filter((name) => readString(env, name) !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) {
    throw new ConfigValidationError(given.join(' and '), 'are set together', `set only one of ${TOPOLOGY_VARIABLES.join(', ')}`);
  }
  const username = readString(env, 'REDIS_USERNAME');
  const password = readString(env, 'REDIS_PASSWORD');
  const tls = readEnum(env, 'REDIS_TLS', ['true', 'false'], 'false') === 'true';
  const auth: LiveKitRedisConnectionOptions = {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(tls ? { tls } : {}),
  };
  const url = readString(env, 'REDIS_URL');
  if (url !== undefined) {
    if (!/^rediss?:\/\//i.test(url)) {
      throw new ConfigValidationError(
        'REDIS_URL',
        'is not a redis:// or rediss:// URL',
        'write REDIS_URL=redis://[user:password@]host:port[/db]',
      );
    }
    return { url, ...auth };
  }
  const sentinels = readString(env, 'REDIS_SENTINELS');
  if (sentinels !== undefined) {
    const masterName = readString(env, 'REDIS_SENTINEL_MASTER');
    if (!masterName) {
      throw new ConfigValidationError(
        'REDIS_SENTINEL_MASTER',
        'is required with REDIS_SENTINELS',
        'set it to the name in the sentinels’ `sentinel monitor <name> …`, e.g. REDIS_SENTINEL_MASTER=mymaster',
      );
    }
    const sentinelUsername = readString(env, 'REDIS_SENTINEL_USERNAME');
    const sentinelPassword = readString(env, 'REDIS_SENTINEL_PASSWORD');
    return {
      sentinel: {
        sentinels: readAddresses('REDIS_SENTINELS', sentinels, 26379),
        masterName,
        ...(sentinelUsername ? { sentinelUsername } : {}),
        ...(sentinelPassword ? { sentinelPassword } : {}),
      },
      ...auth,
    };
  }
  return { cluster: { nodes: readAddresses('REDIS_CLUSTER_NODES', readString(env, 'REDIS_CLUSTER_NODES') ?? '', 6379) }, ...auth };
}

/** `host:port,host:port` (commas or spaces), IPv6 in brackets. */
function readAddresses(name: string, raw: string, examplePort: number): LiveKitRedisNode[] {
  const nodes = raw
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => {
      const match = ADDRESS.exec(entry);
      const port = Number(match?.[3]);
      const host = match?.[1] ?? match?.[2];
      if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
        throw new ConfigValidationError(
          name,
          `has an entry that is not host:port, got ${JSON.stringify(entry)}`,
          `write ${name}=10.0.0.1:${examplePort},10.0.0.2:${examplePort} ([::1]:${examplePort} for IPv6)`,
        );
      }
      return { host, port };
    });
  if (nodes.length === 0)
    throw new ConfigValidationError(name, 'is empty', `write ${name}=10.0.0.1:${examplePort},10.0.0.2:${examplePort}`);
  return nodes;
}
