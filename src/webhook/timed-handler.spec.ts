import type { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import { timedHandler } from './timed-handler';

const event = { event: 'room_started', id: 'EV_1' } as WebhookEvent;

function recorder(): LiveKitTelemetry & { settled: [string, string, number, boolean][] } {
  const telemetry = new LiveKitTelemetry() as LiveKitTelemetry & { settled: [string, string, number, boolean][] };
  telemetry.settled = [];
  telemetry.handlerSettled = (...args) => void telemetry.settled.push(args);
  return telemetry;
}

describe('timedHandler', () => {
  it('keeps a synchronous handler synchronous and reports its success', () => {
    const telemetry = recorder();
    const handle = timedHandler('A.sync', () => 42, telemetry);
    expect(handle(event)).toBe(42);
    expect(telemetry.settled).toEqual([['A.sync', 'room_started', expect.any(Number), false]]);
  });

  it('rethrows a synchronous exception as is, and reports a failure', () => {
    const telemetry = recorder();
    const boom = new Error('boom');
    const handle = timedHandler(
      'A.throws',
      () => {
        throw boom;
      },
      telemetry,
    );
    expect(() => handle(event)).toThrow(boom);
    expect(telemetry.settled).toEqual([['A.throws', 'room_started', expect.any(Number), true]]);
  });

  it('measures an asynchronous handler until it settles', async () => {
    const telemetry = recorder();
    const handle = timedHandler('A.slow', () => new Promise((resolve) => setTimeout(() => resolve('done'), 30)), telemetry);
    const result = handle(event);
    expect(telemetry.settled).toEqual([]);
    await expect(result).resolves.toBe('done');
    const [[, , seconds, failed]] = telemetry.settled as [[string, string, number, boolean]];
    expect(failed).toBe(false);
    expect(seconds).toBeGreaterThanOrEqual(0.025);
  });

  it('reports a rejected handler and passes the rejection on', async () => {
    const telemetry = recorder();
    const handle = timedHandler('A.rejects', () => Promise.reject(new Error('db down')), telemetry);
    await expect(handle(event)).rejects.toThrow('db down');
    expect(telemetry.settled).toEqual([['A.rejects', 'room_started', expect.any(Number), true]]);
  });
});
