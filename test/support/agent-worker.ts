import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const WORKER = join(__dirname, '..', 'fixtures', 'agent-worker', 'minimal-agent.mjs');
const REGISTERED = /WORKER_REGISTERED (AW_\w+)/;

export interface AgentWorker {
  /** The id livekit-server gave the worker (`AW_…`). */
  workerId: string;
  output(): string;
  /** SIGTERM (the worker closes its jobs), SIGKILL of its process group after 10 s. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs test/fixtures/agent-worker/minimal-agent.mjs (a worker on @livekit/agents) against a LiveKit server
 * and waits until it registered as `agentName`. Its job processes are its children, in its process group.
 */
export async function startAgentWorker(
  livekit: { url: string; apiKey: string; apiSecret: string },
  agentName: string,
  timeoutMs = 90_000,
): Promise<AgentWorker> {
  const child: ChildProcess = spawn(process.execPath, [WORKER], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      AGENT_NAME: agentName,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that a forced stop also ends its job processes
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (running()) {
        const kill = setTimeout(() => killGroup('SIGKILL'), 10_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(kill);
      }
      killGroup('SIGKILL'); // job processes that outlived the worker
      process.off('exit', killOnExit);
    })();
    return stopping;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = REGISTERED.exec(output);
    if (match) return { workerId: match[1]!, output: () => output, stop };
    if (!running() || Date.now() > deadline) {
      const why = running() ? `did not register within ${timeoutMs} ms` : `exited (${child.exitCode ?? child.signalCode})`;
      await stop();
      throw new Error(`the agent worker ${why}; its output:\n${output.slice(-4_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
