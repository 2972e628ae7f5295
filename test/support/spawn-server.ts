import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A free TCP port on 127.0.0.1. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Modules loaded (`-r`) before `src/server/main.ts`, e.g. a probe that answers over the IPC channel. */
  preload?: string[];
  /** Open an IPC channel (`child.send`, `process.send` in the server). */
  ipc?: boolean;
}

/** Runs `src/server/main.ts` (the standalone server) in a child process, bound to 127.0.0.1. */
export async function spawnStandalone(env: Record<string, string>, port?: number, options: SpawnOptions = {}): Promise<ServerProcess> {
  const chosen = port ?? (await freeTcpPort());
  const preload = (options.preload ?? []).flatMap((module) => ['-r', module]);
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', ...preload, join(ROOT, 'src', 'server', 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SERVER_HOST: '127.0.0.1', SERVER_PORT: String(chosen), ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    port: chosen,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Polls until `check` returns true or the deadline passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Waits until the server answers HTTP on its port (any status), or fails with its output. */
export async function waitUntilListening(server: ServerProcess, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => {
      if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode}:\n${server.output()}`);
      try {
        await fetch(`http://127.0.0.1:${server.port}/`, { method: 'GET' });
        return true;
      } catch {
        return false;
      }
    },
    timeoutMs,
    `the server on port ${server.port}`,
  );
}
