import type { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import type { LiveKitReplicaWaitOutcome } from '../livekit/livekit-telemetry';
import { LiveKitWebhookQueueUnavailableException } from './livekit-webhook-queue.errors';

export type { LiveKitReplicaWaitOutcome };

export interface ReplicaWait {
  /** The write whose replication is awaited. */
  write: () => Promise<unknown>;
  /** The connection that carries the write (on Cluster, to the primary owning its slot), looked up before and after it. */
  connection: () => Redis | undefined;
  /** Changes whenever the client reconnected: a `WAIT` on another socket than the write's would confirm nothing. */
  epoch: () => number;
  minReplicas: number;
  timeoutMs: number;
  onSettled: (outcome: LiveKitReplicaWaitOutcome, seconds: number) => void;
}

/**
 * Runs a write, then Redis `WAIT minReplicas timeoutMs` on the same connection: `WAIT` counts the replicas
 * that acknowledged every write this connection made so far, so it must follow the write on its socket.
 * When the connection changed in between (a failover, a reconnection, another Cluster primary owning the
 * slot), nothing can be confirmed. Every way short of confirmation rejects with a 503 for LiveKit to retry;
 * the retry is the same job (kept on the primary, or written again on the new one) and runs once.
 */
export async function waitForReplicas(wait: ReplicaWait): Promise<void> {
  const before = wait.connection();
  const epoch = wait.epoch();
  await wait.write();
  const started = performance.now();
  const refuse = (outcome: LiveKitReplicaWaitOutcome, detail: string): never => {
    wait.onSettled(outcome, (performance.now() - started) / 1000);
    throw new LiveKitWebhookQueueUnavailableException(detail);
  };
  const connection = wait.connection();
  if (!before || connection !== before || wait.epoch() !== epoch) {
    return refuse('failed', 'the Redis primary changed while the event was written, so its replication cannot be confirmed');
  }
  let confirmed: number;
  try {
    confirmed = await connection.wait(wait.minReplicas, wait.timeoutMs);
  } catch (error) {
    return refuse('failed', `WAIT for replicas failed: ${(error as Error)?.message ?? String(error)}`);
  }
  if (wait.epoch() !== epoch) return refuse('failed', 'the Redis connection was lost while waiting for replicas');
  if (confirmed < wait.minReplicas) {
    return refuse('short', `${confirmed} of ${wait.minReplicas} replica(s) confirmed the write within ${wait.timeoutMs} ms`);
  }
  wait.onSettled('confirmed', (performance.now() - started) / 1000);
}
