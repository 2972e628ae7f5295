import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort, LOOPBACK } from './free-port';
import { waitFor } from './spawn-server';

/**
 * HAProxy (Debian's package, installed by scripts/haproxy.sh when missing) in front of the app's instances,
 * on 127.0.0.1: round robin, active health checks on `/health/ready`, and the stats page, read as CSV, to
 * see which servers it routes to.
 */

const ROOT = join(__dirname, '..', '..');
const INSTALL_TIMEOUT_MS = 10 * 60_000;

let binary: string | undefined;

/** The haproxy binary, installed through scripts/haproxy.sh on first call; throws with the script's output when it fails. */
export function haproxyBinary(): string {
  if (binary) return binary;
  const result = spawnSync('bash', [join(ROOT, 'scripts', 'haproxy.sh')], { encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS });
  const path = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !path) {
    throw new Error(`scripts/haproxy.sh failed (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  }
  binary = path;
  return path;
}

export interface HaproxyBackend {
  name: string;
  port: number;
}

export interface HaproxyOptions {
  /** Health check interval of a server, in ms. @default 500 */
  checkIntervalMs?: number;
  /** Failed checks before a server is taken out. @default 2 */
  fall?: number;
  /** Passed checks before a server is put back. @default 2 */
  rise?: number;
}

/** `UP`, `DOWN`, `UP 1/2` (going down), `DOWN 1/2` (coming up), `MAINT`… */
export type ServerStatus = string;

export interface Haproxy {
  /** The frontend, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  config: string;
  output(): string;
  /** Each server's status as the stats page gives it (`UP`, `DOWN`, `UP 1/2`, `no check`…). */
  statuses(): Promise<Record<string, ServerStatus>>;
  /** Waits until the named server's status starts with `status`. */
  waitForStatus(server: string, status: 'UP' | 'DOWN', timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

/** The configuration `startHaproxy` runs, also the example in docs/scale-out.md. */
export function haproxyConfig(input: { port: number; statsPort: number; backends: HaproxyBackend[] } & HaproxyOptions): string {
  const inter = input.checkIntervalMs ?? 500;
  return [
    'global',
    '  maxconn 4096',
    '  log stdout format raw local0 notice',
    'defaults',
    '  mode http',
    '  log global',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 10s',
    '  timeout http-keep-alive 5s',
    // A webhook is idempotent (its event id is the job id): retrying it on another server is safe.
    '  retries 2',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response response-timeout',
    'frontend webhooks',
    `  bind ${LOOPBACK}:${input.port}`,
    '  default_backend app',
    'backend app',
    '  balance roundrobin',
    '  option httpchk',
    '  http-check send meth GET uri /health/ready',
    '  http-check expect status 200',
    `  default-server check inter ${inter} fastinter ${Math.max(100, Math.round(inter / 2))} downinter ${inter} fall ${input.fall ?? 2} rise ${input.rise ?? 2}`,
    ...input.backends.map((backend) => `  server ${backend.name} ${LOOPBACK}:${backend.port}`),
    'listen stats',
    `  bind ${LOOPBACK}:${input.statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

/** Starts haproxy in the foreground (`-db`) and waits until its frontend accepts connections. */
export async function startHaproxy(backends: HaproxyBackend[], options: HaproxyOptions = {}): Promise<Haproxy> {
  const bin = haproxyBinary();
  const [port, statsPort] = [await freeTcpPort(), await freeTcpPort()];
  const config = haproxyConfig({ port, statsPort, backends, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'haproxy-'));
  const configPath = join(dir, 'haproxy.cfg');
  writeFileSync(configPath, config);
  const check = spawnSync(bin, ['-c', '-f', configPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its configuration:\n${check.stdout}${check.stderr}\n${config}`);

  const child: ChildProcess = spawn(bin, ['-db', '-f', configPath], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const statuses = async (): Promise<Record<string, ServerStatus>> => {
    const response = await fetch(`http://${LOOPBACK}:${statsPort}/stats;csv`, { signal: AbortSignal.timeout(2000) });
    const [header = '', ...rows] = (await response.text()).split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const [proxy, server, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name)) as [number, number, number];
    const result: Record<string, ServerStatus> = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[proxy] === 'app' && cells[server] !== 'BACKEND') result[cells[server] ?? ''] = cells[status] ?? '';
    }
    return result;
  };

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (alive()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      async () => {
        if (!alive()) throw new Error(`haproxy exited:\n${output}`);
        return statuses().then(
          () => true,
          () => false,
        );
      },
      10_000,
      'haproxy to listen',
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    config,
    output: () => output,
    statuses,
    waitForStatus: async (server, status, timeoutMs) => {
      const started = Date.now();
      await waitFor(
        async () => {
          const current: Record<string, ServerStatus> = await statuses().catch(() => ({}));
          return (current[server] ?? '').startsWith(status);
        },
        timeoutMs,
        `haproxy to see ${server} ${status}`,
      );
      return Date.now() - started;
    },
    stop,
  };
}
