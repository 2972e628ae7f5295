import { UnrecoverableError } from 'bullmq';
import type { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitEventHandlerRegistry } from '../webhook/webhook-handler.registry';
import { LiveKitWebhookHandlersFailedError } from './livekit-webhook-queue.errors';
import type { WebhookJobProgress } from './webhook-job';
import { WebhookJobProcessor, type WebhookJobLike } from './webhook-job.processor';

const body = JSON.stringify({ event: 'participant_joined', id: 'EV_1', createdAt: '1700000000' });

function job(progress: unknown = 0, text = body): WebhookJobLike & { saved: WebhookJobProgress[] } {
  const saved: WebhookJobProgress[] = [];
  return {
    id: 'EV_1',
    data: { body: text, apiKey: 'k', eventId: 'EV_1', receivedAt: 0 },
    progress,
    attemptsMade: 0,
    saved,
    updateProgress: (p: WebhookJobProgress) => {
      saved.push(p);
      return Promise.resolve();
    },
  };
}

function setup(behaviour: Record<string, (e: WebhookEvent) => unknown>) {
  const registry = new LiveKitEventHandlerRegistry();
  const calls: string[] = [];
  for (const [id, handle] of Object.entries(behaviour)) {
    registry.add({ id, events: ['participant_joined'], handle: (e) => (calls.push(id), handle(e)) });
  }
  registry.add({ id: 'Other.room', events: ['room_started'], handle: () => calls.push('Other.room') });
  registry.seal();
  return { processor: new WebhookJobProcessor(registry), calls };
}

describe('WebhookJobProcessor', () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('runs the handlers of the event type with the typed event', async () => {
    const seen: WebhookEvent[] = [];
    const { processor, calls } = setup({ 'A.a': (e) => seen.push(e), 'B.b': () => undefined });
    const j = job();
    await processor.process(j);
    expect(calls.sort()).toEqual(['A.a', 'B.b']);
    expect(seen[0]?.id).toBe('EV_1');
    expect(j.saved).toEqual([]);
  });

  it('fails the attempt when a handler throws, recording the handlers that succeeded', async () => {
    const { processor } = setup({ 'A.a': () => undefined, 'B.b': () => Promise.reject(new Error('db down')) });
    const j = job();
    const failure = processor.process(j);
    await expect(failure).rejects.toThrow(LiveKitWebhookHandlersFailedError);
    await expect(failure).rejects.toThrow('B.b: db down');
    expect(j.saved).toEqual([{ done: ['A.a'] }]);
  });

  it('runs only the handlers not done yet on a retry', async () => {
    const { processor, calls } = setup({ 'A.a': () => undefined, 'B.b': () => undefined });
    await processor.process(job({ done: ['A.a'] }));
    expect(calls).toEqual(['B.b']);
  });

  it('sends a body that is not an event straight to the dead letters', async () => {
    const { processor, calls } = setup({ 'A.a': () => undefined });
    await expect(processor.process(job(0, '{nope'))).rejects.toThrow(UnrecoverableError);
    expect(calls).toEqual([]);
  });

  it('waits for handler discovery before running anything', async () => {
    const registry = new LiveKitEventHandlerRegistry();
    const processor = new WebhookJobProcessor(registry);
    const calls: string[] = [];
    const running = processor.process(job());
    await new Promise((resolve) => setImmediate(resolve));
    registry.add({ id: 'Late.a', events: ['participant_joined'], handle: () => calls.push('Late.a') });
    registry.seal();
    await running;
    expect(calls).toEqual(['Late.a']);
  });
});
