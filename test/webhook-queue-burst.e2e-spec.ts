import { Injectable, type INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitWebhookQueueModule } from '../src/queue/livekit-webhook-queue.module';
import { LiveKitWebhookQueue } from '../src/queue/livekit-webhook-queue.service';
import { toJobId } from '../src/queue/webhook-job';
import {
  LIVEKIT_TEST_CREDENTIALS,
  liveKitWebhookEvent,
  type LiveKitWebhookEventJson,
  LiveKitTestingModule,
  postLiveKitWebhook,
} from '../src/testing';
import type { VerifiedWebhookDelivery } from '../src/webhook/interfaces/verified-delivery.interface';
import { LiveKitWebhookModule } from '../src/webhook/livekit-webhook.module';
import { LiveKitWebhookListener, OnAnyLiveKitEvent } from '../src/webhook/on-livekit-event.decorator';
import { createApp } from './support/create-app';
import { cleanKeys, runKeys, SHARED_REDIS_URL, waitFor } from './support/queue-cluster';
import { ADAPTERS } from './support/standalone-app';

/**
 * Group commit under a burst: webhooks that arrive together are written to Redis in shared round trips,
 * and each is still answered only once Redis holds it. Every acknowledged event must be stored once and
 * handled once; copies of one event posted at the same time are one job.
 */
jest.setTimeout(60_000);

const BURST = 200;
const COPIES = 10;
const BATCH_SIZE = 16;

@Injectable()
@LiveKitWebhookListener()
class CountingListener {
  readonly handled = new Map<string, number>();

  @OnAnyLiveKitEvent()
  count(event: WebhookEvent): void {
    this.handled.set(event.id, (this.handled.get(event.id) ?? 0) + 1);
  }
}

const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 2 });
const prefixes: string[] = [];
afterAll(async () => {
  await cleanKeys(redis, ...prefixes);
  await redis.quit();
});

describe.each(ADAPTERS)('durable webhook mode under a burst, on %s', (adapter) => {
  let app: INestApplication;
  let queue: LiveKitWebhookQueue;
  let listener: CountingListener;

  beforeAll(async () => {
    const { prefix } = runKeys(`burst-${adapter}`);
    prefixes.push(prefix);
    ({ app } = await createApp(
      adapter,
      [
        LiveKitTestingModule.forRoot(),
        LiveKitWebhookModule.forRoot(),
        LiveKitWebhookQueueModule.forRoot({ url: SHARED_REDIS_URL, prefix, enqueueBatchSize: BATCH_SIZE, concurrency: 20 }),
        { module: class ListenerModule {}, providers: [CountingListener] },
      ],
      { rawBody: true },
    ));
    await app.listen(0, '127.0.0.1');
    queue = app.get(LiveKitWebhookQueue);
    listener = app.get(CountingListener);
  });
  afterAll(() => app.close());

  it(`stores and handles each of ${BURST} concurrent events once, and ${COPIES} concurrent copies of one event once`, async () => {
    const events = Array.from({ length: BURST }, () => liveKitWebhookEvent('participant_joined'));
    const copied = liveKitWebhookEvent('participant_left');
    // The copies are spread through the burst, so that some share a batch and some do not.
    const burst = events.flatMap((event, i) => (i % (BURST / COPIES) === 0 ? [event, copied] : [event]));
    const ids = [...events, copied].map((event) => event.id as string);
    const before = await jobCount(queue);
    const writes = watchWrites(queue);

    const answers = await Promise.all(burst.map((event) => postLiveKitWebhook(app, event)));

    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    answers.forEach((answer, i) => expect(answer.body).toEqual({ status: 'queued', id: burst[i]?.id }));
    // Redis held every event when its 200 left: each is one job, with the bytes that were signed.
    const jobs = await Promise.all(ids.map((id) => queue.queue.getJob(toJobId(id))));
    jobs.forEach((job, i) => expect(JSON.parse(job?.data.body ?? '{}')).toMatchObject({ id: ids[i] }));
    expect(await jobCount(queue)).toBe(before + ids.length);
    expect(Math.max(...writes.sizes())).toBeLessThanOrEqual(BATCH_SIZE);
    writes.restore();

    await waitFor(() => ids.every((id) => listener.handled.has(id)), 20_000, 'every event to be handled');
    await waitFor(async () => (await queue.queue.getCompletedCount()) === before + ids.length, 5000, 'every job to complete');
    expect(ids.filter((id) => listener.handled.get(id) !== 1)).toEqual([]);
  });

  it('writes the events enqueued while a write is in flight together, and keeps a job Redis already holds as it is', async () => {
    const held = delivery(liveKitWebhookEvent('room_started'));
    await queue.enqueue(held);
    const fresh = Array.from({ length: 40 }, () => delivery(liveKitWebhookEvent('room_started')));
    // The same event id with another body (LiveKit's redelivery carries the same bytes; this shows what Redis keeps).
    const redelivered = delivery(liveKitWebhookEvent('room_started', { id: held.dedupeKey, createdAt: '1' }));
    const copy = fresh[1] as VerifiedWebhookDelivery;
    const before = await jobCount(queue);
    const writes = watchWrites(queue);

    // Enqueued in one tick: fresh[0] is written at once, alone. The rest wait for it: 39 fresh and the
    // redelivery (the copy of fresh[1] joins fresh[1]'s entry), in batches of at most BATCH_SIZE.
    const enqueued = [...fresh.slice(0, 20), redelivered, copy, ...fresh.slice(20)].map((d) => queue.enqueue(d));
    expect(new Set(await Promise.all(enqueued))).toEqual(new Set(['queued']));

    expect(writes.sizes()).toEqual([1, BATCH_SIZE, BATCH_SIZE, 40 - 2 * BATCH_SIZE]);
    writes.restore();
    expect(await jobCount(queue)).toBe(before + fresh.length);
    expect((await queue.queue.getJob(toJobId(held.dedupeKey)))?.data.body).toBe(held.rawBody.toString('utf8'));
    await waitFor(() => fresh.every((d) => listener.handled.has(d.dedupeKey)), 20_000, 'every event to be handled');
    expect([held, ...fresh].filter((d) => listener.handled.get(d.dedupeKey) !== 1)).toEqual([]);
  });
});

/** A verified delivery of `event`, as the webhook guard hands it to the queue. */
function delivery(event: LiveKitWebhookEventJson): VerifiedWebhookDelivery {
  return {
    event: WebhookEvent.fromJson(event as never, { ignoreUnknownFields: true }),
    dedupeKey: event.id as string,
    apiKey: LIVEKIT_TEST_CREDENTIALS.apiKey,
    rawBody: Buffer.from(JSON.stringify(event)),
  };
}

/** Every job of the queue, whatever its state. */
async function jobCount(queue: LiveKitWebhookQueue): Promise<number> {
  const counts = await queue.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Watches (calling through) the queue's writes to Redis, in order: `add` carries one job, `addBulk` several. */
function watchWrites(queue: LiveKitWebhookQueue): { sizes(): number[]; restore(): void } {
  const add = jest.spyOn(queue.queue, 'add');
  const addBulk = jest.spyOn(queue.queue, 'addBulk');
  const sizes = () =>
    [
      ...add.mock.invocationCallOrder.map((order) => ({ order, size: 1 })),
      ...addBulk.mock.calls.map(([jobs], i) => ({ order: addBulk.mock.invocationCallOrder[i] ?? 0, size: jobs.length })),
    ]
      .sort((a, b) => a.order - b.order)
      .map((write) => write.size);
  return {
    sizes,
    restore: () => {
      add.mockRestore();
      addBulk.mockRestore();
    },
  };
}

describe('durable webhook mode at shutdown', () => {
  it('writes the events still waiting for their batch before the connection closes', async () => {
    const { prefix } = runKeys('burst-shutdown');
    prefixes.push(prefix);
    const { app } = await createApp('express', [
      LiveKitTestingModule.forRoot(),
      LiveKitWebhookModule.forRoot(),
      LiveKitWebhookQueueModule.forRoot({ url: SHARED_REDIS_URL, prefix, enqueueBatchSize: BATCH_SIZE, workers: false }),
    ]);
    const queue = app.get(LiveKitWebhookQueue);
    const deliveries = Array.from({ length: 3 * BATCH_SIZE }, () => delivery(liveKitWebhookEvent('room_finished')));

    const enqueued = deliveries.map((d) => queue.enqueue(d));
    await app.close();

    expect(new Set(await Promise.all(enqueued))).toEqual(new Set(['queued']));
    const held = await Promise.all(deliveries.map((d) => redis.exists(`${prefix}:livekit-webhooks:${toJobId(d.dedupeKey)}`)));
    expect(held.filter((n) => n !== 1)).toEqual([]);
  });
});
