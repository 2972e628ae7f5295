import { Queue } from 'bullmq';
import { hostname } from 'node:os';
import { LOOPBACK } from './free-port';
import { type ServerProcess, spawnStandalone, waitFor } from './spawn-server';
import { signWebhook, type SignedWebhook, webhookBody } from './webhook-signer';

/**
 * Several standalone servers (src/server/main.ts, one child process each) in durable mode on one Redis, as
 * a scaled-out deployment runs them; every instance keeps its port across restarts, so that the balancer's
 * configuration stays the same. What each instance handled is read from its event log lines
 * (`livekit event <type>` with the event id), over every process that ran under its name.
 */

export const FLEET_API_KEY = 'fleet-key';
export const FLEET_API_SECRET = 'fleet-secret-0123456789abcdef0123456789abcdef';
const STOP_TIMEOUT_MS = 20_000;

export interface FleetInstance {
  name: string;
  port: number;
  /** Every process that ran under this name, the current one last. */
  processes: ServerProcess[];
}

export interface EventLine {
  event: string;
  id: string;
  room?: string;
  participant?: string;
  instance: string;
}

export class Fleet {
  private constructor(
    readonly instances: FleetInstance[],
    private readonly env: Record<string, string>,
  ) {}

  /** Starts one instance per name, on the given ports, in parallel, and waits until each answers `/health/ready` with 200. */
  static async start(names: string[], ports: number[], env: Record<string, string>): Promise<Fleet> {
    const fleet = new Fleet(
      names.map((name, i) => ({ name, port: ports[i] ?? 0, processes: [] })),
      {
        LIVEKIT_API_KEY: FLEET_API_KEY,
        LIVEKIT_API_SECRET: FLEET_API_SECRET,
        WEBHOOK_MODE: 'queue',
        ...env,
      },
    );
    await Promise.all(fleet.instances.map((instance) => fleet.launch(instance)));
    return fleet;
  }

  get(name: string): FleetInstance {
    const instance = this.instances.find((i) => i.name === name);
    if (!instance) throw new Error(`no instance ${name}`);
    return instance;
  }

  current(name: string): ServerProcess {
    const process = this.get(name).processes.at(-1);
    if (!process) throw new Error(`instance ${name} never started`);
    return process;
  }

  /** The BullMQ worker name of the instance's current process (what Redis records as `processedBy`). */
  workerName(name: string): string {
    return `${hostname()}:${this.current(name).child.pid}`;
  }

  /** SIGKILL, no shutdown hooks: what a crash, an OOM kill or a lost host does. */
  async kill(name: string): Promise<void> {
    const process = this.current(name);
    if (!alive(process)) return;
    process.child.kill('SIGKILL');
    await process.exited;
  }

  /** SIGTERM, and waits for the exit (SIGKILL after 20 s: a graceful stop that hangs fails the suite's checks). */
  async stop(name: string): Promise<void> {
    const process = this.current(name);
    if (!alive(process)) return;
    process.child.kill('SIGTERM');
    const timer = setTimeout(() => process.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await process.exited;
    clearTimeout(timer);
  }

  /** Starts the instance again on its port and waits until it is ready. */
  async restart(name: string): Promise<void> {
    await this.launch(this.get(name));
  }

  /** Every instance's processes' output, for failure messages. */
  explain(tail = 3000): string {
    return this.instances
      .flatMap((instance) => instance.processes.map((p, n) => `--- ${instance.name}#${n} (pid ${p.child.pid})\n${p.output().slice(-tail)}`))
      .join('\n');
  }

  /** The event log lines of every process that ran, with the instance that wrote each. */
  eventLines(): EventLine[] {
    const lines: EventLine[] = [];
    for (const instance of this.instances) {
      for (const process of instance.processes) lines.push(...eventLinesOf(process.output(), instance.name));
    }
    return lines;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.instances.map((instance) => this.stop(instance.name).catch(() => undefined)));
  }

  private async launch(instance: FleetInstance): Promise<void> {
    const process = await spawnStandalone(this.env, instance.port || undefined);
    instance.port = process.port;
    instance.processes.push(process);
    try {
      await waitFor(
        async () => {
          if (!alive(process)) throw new Error(`instance ${instance.name} exited:\n${process.output().slice(-4000)}`);
          return (await httpStatus(`http://${LOOPBACK}:${process.port}/health/ready`)) === 200;
        },
        60_000,
        `instance ${instance.name} to be ready`,
      );
    } catch (error) {
      process.child.kill('SIGKILL');
      throw error;
    }
  }
}

function alive(process: ServerProcess): boolean {
  return process.child.exitCode === null && process.child.signalCode === null;
}

/** Event log lines (`"context":"LiveKitEvent"`) of one process's output. */
export function eventLinesOf(output: string, instance: string): EventLine[] {
  const lines: EventLine[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"context":"LiveKitEvent"')) continue;
    try {
      const parsed = JSON.parse(line) as Partial<EventLine>;
      if (parsed.id && parsed.event)
        lines.push({ event: parsed.event, id: parsed.id, room: parsed.room, participant: parsed.participant, instance });
    } catch {
      // a line cut by a SIGKILL
    }
  }
  return lines;
}

/** Ids written more than once, over all lines. */
export function duplicates(lines: EventLine[]): string[] {
  const seen = new Map<string, number>();
  for (const line of lines) seen.set(line.id, (seen.get(line.id) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}

async function httpStatus(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** A signed synthetic LiveKit event with a new id. */
export function fleetEvent(id: string, type = 'participant_joined'): Promise<SignedWebhook> {
  return signWebhook(FLEET_API_KEY, FLEET_API_SECRET, webhookBody(type, { id }));
}

export interface Attempt {
  status: number;
  at: number;
}

export interface Delivery {
  id: string;
  acked: boolean;
  attempts: Attempt[];
}

/** LiveKit's retry schedule after a failed webhook: 1, 2, 4, 8 s, then it gives up. */
export const LIVEKIT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];

/**
 * Delivers a webhook as LiveKit Server does: POST to the one configured URL, and after an error or a non-2xx
 * answer, again after 1, 2, 4 and 8 s. Acknowledged means a 200.
 */
export async function deliverLikeLiveKit(url: string, signed: SignedWebhook, timeoutMs = 5000): Promise<Delivery> {
  const attempts: Attempt[] = [];
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    try {
      const response = await fetch(`${url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/webhook+json', authorization: signed.authorization },
        body: signed.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0;
    }
    attempts.push({ status, at: Date.now() });
    if (status === 200) return { id: signed.id, acked: true, attempts };
    const delay = LIVEKIT_RETRY_DELAYS_MS[attempt];
    if (delay === undefined) return { id: signed.id, acked: false, attempts };
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Status counts over every attempt of every delivery. */
export function statusCounts(deliveries: Delivery[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const delivery of deliveries) for (const { status } of delivery.attempts) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** The longest time without an acknowledgement between `from` and `to` (ms), over all deliveries' 200s. */
export function longestAckGap(deliveries: Delivery[], from: number, to: number): number {
  const acks = deliveries
    .flatMap((d) => d.attempts.filter((a) => a.status === 200).map((a) => a.at))
    .filter((at) => at >= from && at <= to)
    .sort((a, b) => a - b);
  let gap = 0;
  let previous = from;
  for (const at of [...acks, to]) {
    gap = Math.max(gap, at - previous);
    previous = at;
  }
  return gap;
}

/** The durable queue the fleet shares, for reading job states and who processed them. */
export function fleetQueue(redisUrl: string): Queue {
  const url = new URL(redisUrl);
  return new Queue('livekit-webhooks', { connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null } });
}
