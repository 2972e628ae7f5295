import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort, freeUdpPort, LOOPBACK } from './free-port';

/**
 * Runs the real LiveKit Server (v1.13.5, single node, no Redis, no TURN) on 127.0.0.1 for end-to-end tests.
 *
 * The binary comes from `scripts/livekit-server.sh` (env `LIVEKIT_SERVER_BIN`, a cached build, or a Go build).
 * Suites should be wrapped in {@link describeWithLiveKitServer}: without a binary they skip locally and fail under `CI=true`.
 */

const ROOT = join(__dirname, '..', '..');
const RESOLVE_SCRIPT = join(ROOT, 'scripts', 'livekit-server.sh');
/** A cold `go install` takes about 3 minutes; leave room for a slow machine. */
const RESOLVE_TIMEOUT_MS = 15 * 60_000;
const MIN_SECRET_LENGTH = 32;
const MAX_LOG_CHARS = 2_000_000;
const START_ATTEMPTS = 3;
const TEMP_PREFIX = 'livekit-server-';
const OWNER_FILE = 'owner.json';

export interface LiveKitServerOptions {
  /**
   * API key → secret pairs the server accepts. Secrets must be at least 32 characters.
   * @default { devkey: 'devsecret-0123456789abcdef0123456789abcd' }
   */
  keys?: Record<string, string>;
  /** Webhook endpoints; when given, the server signs its webhooks with {@link webhookKey}. */
  webhookUrls?: string[];
  /**
   * The key (from {@link keys}) the server signs webhooks with; also the key returned as `apiKey`.
   * @default the first key of `keys`
   */
  webhookKey?: string;
  /**
   * Whether joining with a token creates the room on the fly. With `false`, a token for a room that
   * was not created through the API is refused (HTTP 404 on the signal connection).
   * @default true
   */
  autoCreateRooms?: boolean;
  /** Seconds an empty room lives before it closes. @default 5 */
  emptyTimeoutSeconds?: number;
  /** Seconds a room lives after its last participant left. @default 1 */
  departureTimeoutSeconds?: number;
  /** How long to wait for `GET /` to answer `OK`. @default 20_000 */
  readyTimeoutMs?: number;
  /** livekit-server log level. @default 'info' */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface LiveKitServer {
  /** Signal URL for clients, e.g. `ws://127.0.0.1:40123`. */
  url: string;
  /** Same port over HTTP, for the server SDK (`RoomServiceClient`). */
  httpUrl: string;
  port: number;
  /** The webhook key (or the first key) and its secret. */
  apiKey: string;
  apiSecret: string;
  /** The YAML the server was started with. */
  config: string;
  /** Everything the server printed so far (stdout and stderr, interleaved). */
  logs(): string;
  /** SIGTERM, a forcing second SIGTERM after 2 s, SIGKILL after 5 s; then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_API_KEY = 'devkey';
export const DEFAULT_API_SECRET = 'devsecret-0123456789abcdef0123456789abcd';

type Resolution = { ok: true; path: string } | { ok: false; reason: string };

// Once per module instance: Jest gives every test file its own registry, so that is once per test file
// (about 0.1 s when the binary is cached; the first file of a fresh machine pays for the Go build).
let cachedResolution: Resolution | undefined;

function resolveBinary(): Resolution {
  if (cachedResolution) return cachedResolution;
  // stderr is inherited so a first-time Go build shows its progress.
  const result = spawnSync('bash', [RESOLVE_SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: RESOLVE_TIMEOUT_MS,
  });
  if (result.error) {
    cachedResolution = { ok: false, reason: `could not run ${RESOLVE_SCRIPT}: ${result.error.message}` };
  } else if (result.status !== 0) {
    cachedResolution = {
      ok: false,
      reason: `${RESOLVE_SCRIPT} exited with ${result.status ?? result.signal}${result.status === 3 ? ' (no binary and no Go toolchain)' : ''}`,
    };
  } else {
    const path = result.stdout.trim().split('\n').pop()?.trim() ?? '';
    try {
      accessSync(path, constants.X_OK);
      cachedResolution = { ok: true, path };
    } catch {
      cachedResolution = { ok: false, reason: `${RESOLVE_SCRIPT} printed "${path}", which is not an executable file` };
    }
  }
  return cachedResolution;
}

/** Whether a livekit-server binary can be found or built (runs the resolve script once per test file). */
export function liveKitServerAvailable(): boolean {
  return resolveBinary().ok;
}

/** Why {@link liveKitServerAvailable} is false, or `undefined` when it is true. */
export function liveKitServerUnavailableReason(): string | undefined {
  const resolution = resolveBinary();
  return resolution.ok ? undefined : resolution.reason;
}

/** The absolute path of the livekit-server binary; throws with the reason when there is none. */
export function liveKitServerBinary(): string {
  const resolution = resolveBinary();
  if (!resolution.ok) throw new Error(`livekit-server is not available: ${resolution.reason}`);
  return resolution.path;
}

/**
 * `describe` for suites that need the real server. Without a binary the suite is skipped with a printed
 * reason, except under `CI=true`, where it fails: CI must never go green by skipping.
 */
export function describeWithLiveKitServer(name: string, fn: () => void): void {
  const reason = liveKitServerUnavailableReason();
  if (reason === undefined) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs livekit-server', () => {
        throw new Error(`livekit-server is required under CI=true: ${reason}`);
      });
    });
  } else {
    console.warn(`Skipping "${name}": ${reason}. Set LIVEKIT_SERVER_BIN or install Go to run it.`);
    describe.skip(name, fn);
  }
}

const q = (value: string): string => JSON.stringify(value); // a JSON string is a valid YAML scalar

/** Builds the livekit-server YAML. Every key is a field of livekit-server v1.13.5's config (strict parsing rejects others). */
export function liveKitConfigYaml(input: {
  port: number;
  udpPort: number;
  stunPort: number;
  keys: Record<string, string>;
  webhookKey?: string;
  webhookUrls?: string[];
  autoCreateRooms: boolean;
  emptyTimeoutSeconds: number;
  departureTimeoutSeconds: number;
  logLevel: string;
}): string {
  const lines = [
    `port: ${input.port}`,
    'bind_addresses:',
    `  - ${q(LOOPBACK)}`,
    'keys:',
    ...Object.entries(input.keys).map(([key, secret]) => `  ${q(key)}: ${q(secret)}`),
    'rtc:',
    `  node_ip: ${q(LOOPBACK)}`,
    '  use_external_ip: false',
    '  enable_loopback_candidate: true',
    // Only loopback candidates, and the UDP mux binds 127.0.0.1 only.
    '  ips:',
    '    includes:',
    `      - ${q(`${LOOPBACK}/32`)}`,
    `  udp_port: ${input.udpPort}`,
    '  tcp_port: 0',
    // Sent to clients as their ICE servers; without it they would be told to ask Google's STUN servers.
    '  stun_servers:',
    `    - ${q(`${LOOPBACK}:${input.stunPort}`)}`,
    'turn:',
    '  enabled: false',
    'room:',
    `  auto_create: ${input.autoCreateRooms}`,
    `  empty_timeout: ${input.emptyTimeoutSeconds}`,
    `  departure_timeout: ${input.departureTimeoutSeconds}`,
    'logging:',
    `  level: ${input.logLevel}`,
  ];
  if (input.webhookUrls && input.webhookUrls.length > 0) {
    lines.push('webhook:', `  api_key: ${q(input.webhookKey ?? '')}`, '  urls:', ...input.webhookUrls.map((u) => `    - ${q(u)}`));
  }
  return lines.join('\n') + '\n';
}

function lastLines(text: string, count = 40): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function answersOk(httpUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${httpUrl}/`, { signal: AbortSignal.timeout(1_000) });
    return response.status === 200 && (await response.text()).trim() === 'OK';
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Kills servers left behind by test processes that died without `stop()` (Ctrl-C, a killed worker: `exit`
 * handlers do not run on signals), and removes their temp dirs. Only touches dirs this harness wrote, whose
 * owner process is gone, and a pid whose command line still names that dir's config (Linux /proc; elsewhere
 * only the dir is removed).
 */
function reapOrphans(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(TEMP_PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = join(tmpdir(), name);
    try {
      const { ownerPid, serverPid } = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as { ownerPid: number; serverPid: number };
      if (isAlive(ownerPid)) continue;
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${serverPid}/cmdline`, 'utf8');
      } catch {
        // gone already, or no /proc
      }
      if (cmdline.includes(join(dir, 'livekit.yaml'))) process.kill(serverPid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours, not readable, or being written right now: leave it
    }
  }
}

class PortInUseError extends Error {}

/** Starts livekit-server on fresh loopback ports and waits until `GET /` answers `OK`. */
export async function startLiveKitServer(opts: LiveKitServerOptions = {}): Promise<LiveKitServer> {
  const keys = opts.keys ?? { [DEFAULT_API_KEY]: DEFAULT_API_SECRET };
  const keyNames = Object.keys(keys);
  if (keyNames.length === 0) throw new Error('startLiveKitServer: `keys` needs at least one key');
  for (const [key, secret] of Object.entries(keys)) {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `startLiveKitServer: the secret of "${key}" has ${secret.length} characters; livekit-server wants at least ${MIN_SECRET_LENGTH}`,
      );
    }
  }
  const apiKey = opts.webhookKey ?? keyNames[0]!;
  const apiSecret = keys[apiKey];
  if (apiSecret === undefined) throw new Error(`startLiveKitServer: webhookKey "${apiKey}" is not one of keys (${keyNames.join(', ')})`);

  const binary = liveKitServerBinary();
  reapOrphans();
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(binary, opts, keys, apiKey, apiSecret);
    } catch (error) {
      lastError = error;
      // Ports are picked free, released, then bound by livekit: another process may win the race. Retry on that only.
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  throw lastError;
}

async function startOnce(
  binary: string,
  opts: LiveKitServerOptions,
  keys: Record<string, string>,
  apiKey: string,
  apiSecret: string,
): Promise<LiveKitServer> {
  const [port, udpPort, stunPort] = [await freeTcpPort(), await freeUdpPort(), await freeUdpPort()];
  const config = liveKitConfigYaml({
    port,
    udpPort,
    stunPort,
    keys,
    webhookKey: apiKey,
    webhookUrls: opts.webhookUrls,
    autoCreateRooms: opts.autoCreateRooms ?? true,
    emptyTimeoutSeconds: opts.emptyTimeoutSeconds ?? 5,
    departureTimeoutSeconds: opts.departureTimeoutSeconds ?? 1,
    logLevel: opts.logLevel ?? 'info',
  });
  const dir = mkdtempSync(join(tmpdir(), TEMP_PREFIX));
  const configPath = join(dir, 'livekit.yaml');
  writeFileSync(configPath, config, { mode: 0o600 });

  // A minimal environment: livekit-server maps LIVEKIT_* (and REDIS_HOST, NODE_IP, UDP_PORT…) variables onto its config.
  const child = spawn(binary, ['--config', configPath], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ ownerPid: process.pid, serverPid: child.pid }));
  // Last resort if a suite forgets stop() or the worker exits first: never leave a livekit-server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS / 2);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null && spawnError === undefined;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (running() && child.pid !== undefined) {
        // livekit-server waits for participants to leave on the first signal and forces on the second.
        const force = setTimeout(() => child.kill('SIGTERM'), 2_000);
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(force);
        clearTimeout(kill);
      }
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const httpUrl = `http://${LOOPBACK}:${port}`;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  const deadline = Date.now() + readyTimeoutMs;
  // livekit-server logs this line only after it bound its HTTP port: an `OK` before it could come from whichever
  // process grabbed the port between our pick and its bind.
  const listening = () => output.includes('starting LiveKit server');
  while (!(listening() && running() && (await answersOk(httpUrl)))) {
    if (!running()) {
      await stop();
      const detail = `livekit-server exited (${spawnError?.message ?? child.exitCode ?? child.signalCode}) before it was ready`;
      const message = `${detail}; config:\n${config}\nlast log lines:\n${lastLines(output)}`;
      if (/address already in use/i.test(output)) throw new PortInUseError(message);
      throw new Error(message);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`livekit-server did not answer OK on ${httpUrl}/ within ${readyTimeoutMs} ms; last log lines:\n${lastLines(output)}`);
    }
    await sleep(100);
  }

  return { url: `ws://${LOOPBACK}:${port}`, httpUrl, port, apiKey, apiSecret, config, logs: () => output, stop };
}
