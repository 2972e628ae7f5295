import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { freeTcpPort, LOOPBACK } from './free-port';
import { redisServer } from './queue-cluster';
import { waitFor } from './spawn-server';

/** Where redis-server and redis-cli are, installed by scripts/redis-server.sh when missing (a missing one fails the suite). */
export function redisBinDir(): string {
  return dirname(redisServer());
}

/** One redis-server (data node or sentinel) on a free loopback port, in its own temporary directory; stopped by its pid. */
export class RedisProcess {
  output = '';
  private child: ChildProcess | undefined;
  private args: string[] = [];

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly password: string | undefined,
  ) {}

  /** A data node: `args` are added to its command line (--replicaof, --cluster-enabled…). */
  static async data(args: string[] = [], password?: string): Promise<RedisProcess> {
    const port = await freeTcpPort();
    const node = new RedisProcess(port, mkdtempSync(join(tmpdir(), 'lk-redis-')), password);
    const auth = password ? ['--requirepass', password, '--masterauth', password] : [];
    node.spawn(['--port', String(port), '--bind', LOOPBACK, '--dir', node.dir, '--save', '', '--appendonly', 'no', ...auth, ...args]);
    await node.waitUntilUp();
    return node;
  }

  /** A sentinel, from the lines of its sentinel.conf (Sentinel rewrites it, so it lives in the sentinel's directory). */
  static async sentinel(lines: (port: number) => string[], password?: string): Promise<RedisProcess> {
    const port = await freeTcpPort();
    const node = new RedisProcess(port, mkdtempSync(join(tmpdir(), 'lk-sentinel-')), password);
    const conf = join(node.dir, 'sentinel.conf');
    writeFileSync(conf, [`port ${port}`, `bind ${LOOPBACK}`, `dir ${node.dir}`, ...lines(port), ''].join('\n'));
    node.spawn([conf, '--sentinel']);
    await node.waitUntilUp();
    return node;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A new client of this process (the caller closes it). */
  client(): Redis {
    const client = new Redis({
      host: LOOPBACK,
      port: this.port,
      password: this.password,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    return client;
  }

  /** Sends one command on a short-lived connection. */
  async command(...args: (string | number)[]): Promise<unknown> {
    const client = this.client();
    try {
      return await client.call(String(args[0]), ...args.slice(1).map(String));
    } finally {
      client.disconnect();
    }
  }

  /** Sends `signal` to the process by its pid (SIGKILL, SIGSTOP, SIGCONT…); for SIGKILL, waits until it is gone. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.alive || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') await exited;
  }

  async destroy(): Promise<void> {
    if (this.alive) {
      await this.signal('SIGCONT');
      await this.signal('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Starts the process again on the same port, directory and command line (e.g. a killed primary rejoining as a replica). */
  async restart(): Promise<void> {
    if (this.alive) throw new Error(`redis-server on ${this.port} is still running`);
    this.spawn(this.args);
    await this.waitUntilUp();
  }

  private spawn(args: string[]): void {
    this.args = args;
    const child = spawn(join(redisBinDir(), 'redis-server'), args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    child.stderr?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    this.child = child;
  }

  private async waitUntilUp(): Promise<void> {
    await waitFor(
      async () => {
        if (!this.alive) throw new Error(`redis-server on ${this.port} exited:\n${this.output}`);
        return (await this.command('PING').catch(() => undefined)) === 'PONG';
      },
      15_000,
      `redis-server on port ${this.port}`,
    );
  }
}

/** `INFO replication` (or another section) as a map. */
export async function info(node: RedisProcess, section = 'replication'): Promise<Map<string, string>> {
  // Empty while the node does not answer (restarting, or closing connections on a role change).
  const text = String(await node.command('INFO', section).catch(() => ''));
  return new Map(
    text
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}

export const SENTINEL_MASTER = 'lkmaster';

/** A primary, its replica and three sentinels (quorum 2), all on loopback, with passwords on the data nodes and the sentinels. */
export class SentinelSet {
  private constructor(
    readonly primary: RedisProcess,
    readonly replica: RedisProcess,
    readonly sentinels: RedisProcess[],
    readonly password: string,
    readonly sentinelPassword: string,
  ) {}

  static async start(options: { password: string; sentinelPassword: string; downAfterMs?: number }): Promise<SentinelSet> {
    const started: RedisProcess[] = [];
    try {
      const primary = await RedisProcess.data([], options.password);
      started.push(primary);
      const replica = await RedisProcess.data(['--replicaof', LOOPBACK, String(primary.port)], options.password);
      started.push(replica);
      await waitFor(async () => (await info(replica)).get('master_link_status') === 'up', 15_000, 'the replica in sync');
      const sentinels: RedisProcess[] = [];
      for (let i = 0; i < 3; i++) {
        const sentinel = await RedisProcess.sentinel(
          () => [
            `sentinel monitor ${SENTINEL_MASTER} ${LOOPBACK} ${primary.port} 2`,
            `sentinel down-after-milliseconds ${SENTINEL_MASTER} ${options.downAfterMs ?? 1000}`,
            `sentinel failover-timeout ${SENTINEL_MASTER} 10000`,
            `sentinel parallel-syncs ${SENTINEL_MASTER} 1`,
            `sentinel auth-pass ${SENTINEL_MASTER} ${options.password}`,
            `requirepass ${options.sentinelPassword}`,
            `sentinel sentinel-pass ${options.sentinelPassword}`,
          ],
          options.sentinelPassword,
        );
        started.push(sentinel);
        sentinels.push(sentinel);
      }
      const set = new SentinelSet(primary, replica, sentinels, options.password, options.sentinelPassword);
      // Every sentinel knows the replica and the two other sentinels (hello messages every 2 s).
      await waitFor(
        async () => {
          for (const sentinel of sentinels) {
            const replicas = (await sentinel.command('SENTINEL', 'REPLICAS', SENTINEL_MASTER).catch(() => [])) as unknown[];
            const peers = (await sentinel.command('SENTINEL', 'SENTINELS', SENTINEL_MASTER).catch(() => [])) as unknown[];
            if (replicas.length < 1 || peers.length < 2) return false;
          }
          return true;
        },
        30_000,
        'the sentinels to know the replica and each other',
      );
      return set;
    } catch (error) {
      for (const node of started) await node.destroy();
      throw error;
    }
  }

  /** `host:port` list for REDIS_SENTINELS. */
  get addresses(): string {
    return this.sentinels.map((s) => `${LOOPBACK}:${s.port}`).join(',');
  }

  /** The primary's port as the sentinels report it now. */
  async primaryPort(): Promise<number | undefined> {
    for (const sentinel of this.sentinels) {
      const reply = (await sentinel.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER).catch(() => undefined)) as
        string[] | undefined;
      if (reply?.[1]) return Number(reply[1]);
    }
    return undefined;
  }

  async destroy(): Promise<void> {
    for (const node of [...this.sentinels, this.replica, this.primary]) await node.destroy();
  }
}

/** A Redis Cluster on loopback: `primaries` primaries with one replica each, created with `redis-cli --cluster create`. */
export class ClusterSet {
  private constructor(readonly nodes: RedisProcess[]) {}

  static async start(options: { primaries: number; nodeTimeoutMs?: number }): Promise<ClusterSet> {
    const nodes: RedisProcess[] = [];
    try {
      for (let i = 0; i < options.primaries * 2; i++) {
        nodes.push(
          await RedisProcess.data([
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            String(options.nodeTimeoutMs ?? 1000),
          ]),
        );
      }
      const addresses = nodes.map((node) => `${LOOPBACK}:${node.port}`);
      await new Promise<void>((resolve, reject) =>
        execFile(
          join(redisBinDir(), 'redis-cli'),
          ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'],
          { timeout: 60_000 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`redis-cli --cluster create failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve(),
        ),
      );
      const set = new ClusterSet(nodes);
      await waitFor(() => set.healthy(), 30_000, 'cluster_state:ok on every node with every replica in sync');
      return set;
    } catch (error) {
      for (const node of nodes) await node.destroy();
      throw error;
    }
  }

  /** `host:port` seeds for REDIS_CLUSTER_NODES. */
  get addresses(): string {
    return this.nodes.map((node) => `${LOOPBACK}:${node.port}`).join(',');
  }

  /** Every live node says cluster_state:ok and every live replica is in sync. */
  async healthy(): Promise<boolean> {
    for (const node of this.nodes.filter((n) => n.alive)) {
      const state = await info(node, 'cluster').catch(() => undefined);
      const clusterInfo = String(await node.command('CLUSTER', 'INFO').catch(() => ''));
      if (!state || !clusterInfo.includes('cluster_state:ok')) return false;
      const replication = await info(node);
      if (replication.get('role') === 'slave' && replication.get('master_link_status') !== 'up') return false;
    }
    return true;
  }

  /** The live node that is the primary of `slot` now. */
  async primaryOf(slot: number): Promise<RedisProcess> {
    for (const node of this.nodes.filter((n) => n.alive)) {
      const replication = await info(node).catch(() => undefined);
      if (replication?.get('role') !== 'master') continue;
      const slots = (await node.command('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const owner = slots.find(([from, to]) => from <= slot && slot <= to);
      if (owner && owner[2][1] === node.port) return node;
    }
    throw new Error(`no live primary owns slot ${slot}`);
  }

  /** The live replica of a primary. */
  async replicaOf(primary: RedisProcess): Promise<RedisProcess> {
    for (const node of this.nodes.filter((n) => n.alive && n !== primary)) {
      const replication = await info(node).catch(() => undefined);
      if (replication?.get('role') === 'slave' && replication.get('master_port') === String(primary.port)) return node;
    }
    throw new Error(`no live replica of the primary on ${primary.port}`);
  }

  async destroy(): Promise<void> {
    for (const node of this.nodes) await node.destroy();
  }
}
