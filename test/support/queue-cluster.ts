import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { freeTcpPort, waitFor } from './spawn-server';
import { signWebhook, type SignedWebhook, webhookBody } from './webhook-signer';

const ROOT = join(__dirname, '..', '..');
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CLUSTER_API_KEY = 'queue-key';
export const CLUSTER_API_SECRET = 'queue-secret-0123456789abcdef0123456789abcdef';

/** Keys of one test run: the queue's prefix and the recorder's key, both unique, removed by {@link cleanKeys}. */
export function runKeys(label: string): { prefix: string; recordKey: string } {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  return { prefix: `lkq-test-${id}`, recordKey: `lkq-test-${id}-record` };
}

/** Deletes every key starting with one of the prefixes. */
export async function cleanKeys(redis: Redis, ...prefixes: string[]): Promise<void> {
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  }
}

export interface QueueAppProcess {
  name: string;
  port: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  alive(): boolean;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs test/fixtures/queue-app/main.ts in a child process on 127.0.0.1 and waits until it listens. */
export async function startQueueApp(name: string, env: Record<string, string>): Promise<QueueAppProcess> {
  const port = await freeTcpPort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'test', 'fixtures', 'queue-app', 'main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      INSTANCE: name,
      LIVEKIT_API_KEY: CLUSTER_API_KEY,
      LIVEKIT_API_SECRET: CLUSTER_API_SECRET,
      RECORD_URL: SHARED_REDIS_URL,
      REDIS_URL: SHARED_REDIS_URL,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const app: QueueAppProcess = {
    name,
    port,
    child,
    output: () => output,
    exited,
    alive,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (!alive()) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitFor(
      () => {
        if (!alive()) throw new Error(`queue app ${name} exited:\n${output}`);
        return output.includes(`queue-app ${name} listening`);
      },
      30_000,
      `queue app ${name}`,
    );
  } catch (error) {
    await app.stop('SIGKILL');
    throw error;
  }
  return app;
}

/** A signed LiveKit webhook for a new event id (or the given one). */
export function signedEvent(id = `EV_${randomUUID()}`, type = 'participant_joined'): Promise<SignedWebhook> {
  return signWebhook(CLUSTER_API_KEY, CLUSTER_API_SECRET, webhookBody(type, { id }));
}

/** Posts a signed webhook to an instance; resolves with the status and how long the answer took. */
export async function postWebhook(
  port: number,
  signed: SignedWebhook,
  timeoutMs = 10_000,
): Promise<{ status: number; ms: number; body: string }> {
  const started = Date.now();
  try {
    const response = await fetch(`http://127.0.0.1:${port}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', authorization: signed.authorization },
      body: signed.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    return { status: response.status, ms: Date.now() - started, body };
  } catch {
    return { status: 0, ms: Date.now() - started, body: '' };
  }
}

/** Runs `task` over `items` with at most `concurrency` at a time. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
}

/** What the instances' handlers recorded: event id → times run, and event id → instance that ran it. */
export async function recorded(redis: Redis, recordKey: string): Promise<{ handled: Map<string, number>; by: Map<string, string> }> {
  const [handled, by] = await Promise.all([redis.hgetall(`${recordKey}:handled`), redis.hgetall(`${recordKey}:by`)]);
  return { handled: new Map(Object.entries(handled).map(([k, v]) => [k, Number(v)])), by: new Map(Object.entries(by)) };
}

export { waitFor };

/**
 * A private redis-server on a free port, in a temporary directory, persisting every write before
 * answering (`appendonly yes`, `appendfsync always`) so that what was acknowledged survives a restart.
 */
let redisServerBinary: string | undefined;

/** redis-server's path from scripts/redis-server.sh (which installs Debian's package when missing); once per test file. */
export function redisServer(): string {
  if (redisServerBinary) return redisServerBinary;
  const result = spawnSync('bash', [join(ROOT, 'scripts', 'redis-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const path = result.stdout?.trim().split('\n').pop()?.trim();
  if (result.status !== 0 || !path)
    throw new Error(`scripts/redis-server.sh found no redis-server (exit ${result.status ?? result.signal})`);
  return (redisServerBinary = path);
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'lkq-redis-'));
  output = '';

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freeTcpPort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on the same port and directory, and waits until it answers PING. */
  async restart(): Promise<void> {
    const child = spawn(
      redisServer(),
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        this.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`redis-server exited:\n${this.output}`);
          try {
            if (probe.status !== 'ready') await probe.connect();
            return (await probe.ping()) === 'PONG';
          } catch {
            probe.disconnect();
            return false;
          }
        },
        10_000,
        `redis-server on port ${this.port}`,
      );
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server at once (SIGKILL): nothing but what is already in the append-only file survives. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
