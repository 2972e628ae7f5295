import * as fc from 'fast-check';
import { ResolvedWebhookQueueOptions } from './resolved-webhook-queue-options';
import { doneHandlersOf, eventOf, fromJobId, toJobId, webhookJobOptions } from './webhook-job';

/** BullMQ's own checks on custom job ids. */
const acceptedByBullMQ = (id: string) => !id.includes(':') && `${parseInt(id, 10)}` !== id;

describe('toJobId / fromJobId', () => {
  it.each([
    ['EV_abc123', 'EV_abc123'],
    ['sha256:q83v+/=', 'sha256%3Aq83v+/='],
    ['100%', '100%25'],
    ['12345', '%312345'],
    ['-7', '%2D7'],
  ])('%j → %j', (eventId, jobId) => {
    expect(toJobId(eventId)).toBe(jobId);
    expect(fromJobId(jobId)).toBe(eventId);
  });

  it('maps every id one-to-one onto an id BullMQ accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[-%:0-9]{1,8}$/), fc.integer().map(String)), (eventId) => {
        fc.pre(eventId.length > 0);
        const jobId = toJobId(eventId);
        return acceptedByBullMQ(jobId) && fromJobId(jobId) === eventId;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('webhook job data', () => {
  it('rebuilds the typed event from the stored body, ignoring fields newer servers add', () => {
    const body = JSON.stringify({ event: 'room_started', id: 'EV_1', createdAt: '1700000000', room: { name: 'r' }, newField: 1 });
    const event = eventOf({ body, apiKey: 'k', eventId: 'EV_1', receivedAt: 0 });
    expect(event.event).toBe('room_started');
    expect(event.room?.name).toBe('r');
    expect(event.createdAt).toBe(1700000000n);
  });

  it('reads the handlers already done from any progress value', () => {
    expect([...doneHandlersOf({ done: ['A.a', 3, 'B.b'] })]).toEqual(['A.a', 'B.b']);
    expect(doneHandlersOf(0).size).toBe(0);
    expect(doneHandlersOf(null).size).toBe(0);
    expect(doneHandlersOf({ done: 'x' }).size).toBe(0);
  });

  it('retries with exponential backoff, remembers processed ids, keeps dead letters', () => {
    const options = new ResolvedWebhookQueueOptions({ url: 'redis://h', attempts: 5, backoffDelayMs: 250 });
    expect(webhookJobOptions(options)).toEqual({
      attempts: 5,
      backoff: { type: 'exponential', delay: 250 },
      removeOnComplete: { age: 86400, count: 100_000 },
      removeOnFail: false,
    });
  });
});
