import type { Redis } from 'ioredis';
import { LiveKitWebhookQueueUnavailableException } from './livekit-webhook-queue.errors';
import { type LiveKitReplicaWaitOutcome, waitForReplicas } from './replica-wait';

/** A connection whose WAIT answers `replicas`, recording the calls. */
function connection(replicas: number | Error): Redis & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    wait: (...args: unknown[]) => {
      calls.push(args);
      return replicas instanceof Error ? Promise.reject(replicas) : Promise.resolve(replicas);
    },
  } as unknown as Redis & { calls: unknown[][] };
}

describe('waitForReplicas', () => {
  const outcomes: LiveKitReplicaWaitOutcome[] = [];
  const base = {
    minReplicas: 2,
    timeoutMs: 300,
    epoch: () => 1,
    onSettled: (outcome: LiveKitReplicaWaitOutcome) => outcomes.push(outcome),
  };
  beforeEach(() => (outcomes.length = 0));

  it('runs WAIT minReplicas timeoutMs on the connection of the write, after it, and resolves when enough confirm', async () => {
    const order: string[] = [];
    const conn = connection(2);
    await waitForReplicas({ ...base, write: () => Promise.resolve(order.push('write')), connection: () => (order.push('lookup'), conn) });
    expect(order).toEqual(['lookup', 'write', 'lookup']);
    expect(conn.calls).toEqual([[2, 300]]);
    expect(outcomes).toEqual(['confirmed']);
  });

  it('answers 503 when too few replicas confirm in time', async () => {
    const conn = connection(1);
    await expect(waitForReplicas({ ...base, write: () => Promise.resolve(), connection: () => conn })).rejects.toMatchObject({
      status: 503,
      detail: '1 of 2 replica(s) confirmed the write within 300 ms',
    });
    expect(outcomes).toEqual(['short']);
  });

  it('never confirms on another connection than the write’s: a failover or reconnection in between is a 503', async () => {
    const [first, second] = [connection(5), connection(5)];
    let lookups = 0;
    await expect(
      waitForReplicas({ ...base, write: () => Promise.resolve(), connection: () => (lookups++ === 0 ? first : second) }),
    ).rejects.toMatchObject({
      detail: expect.stringContaining('primary changed'),
    });
    let epoch = 1;
    await expect(
      waitForReplicas({ ...base, epoch: () => epoch, write: () => Promise.resolve((epoch = 2)), connection: () => first }),
    ).rejects.toThrow(LiveKitWebhookQueueUnavailableException);
    await expect(waitForReplicas({ ...base, write: () => Promise.resolve(), connection: () => undefined })).rejects.toThrow(
      LiveKitWebhookQueueUnavailableException,
    );
    expect(first.calls).toEqual([]);
    expect(second.calls).toEqual([]);
    expect(outcomes).toEqual(['failed', 'failed', 'failed']);
  });

  it('answers 503 when WAIT itself fails, and lets a failed write fail as it is', async () => {
    const conn = connection(new Error('Connection is closed.'));
    await expect(waitForReplicas({ ...base, write: () => Promise.resolve(), connection: () => conn })).rejects.toMatchObject({
      detail: 'WAIT for replicas failed: Connection is closed.',
    });
    const refused = new Error('READONLY');
    await expect(waitForReplicas({ ...base, write: () => Promise.reject(refused), connection: () => conn })).rejects.toBe(refused);
    expect(outcomes).toEqual(['failed']);
  });
});
