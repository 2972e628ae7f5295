import { Injectable, type INestApplication } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import request from 'supertest';
import { LiveKitModule } from '../src/livekit/livekit.module';
import { LiveKitWebhookModule } from '../src/webhook/livekit-webhook.module';
import { LiveKitWebhookListener, OnLiveKitEvent } from '../src/webhook/on-livekit-event.decorator';
import { createApp } from './support/create-app';
import { CapturedNestLogger } from './support/log-capture';
import { signWebhook, type SignedWebhook, webhookBody } from './support/webhook-signer';

const KEY = 'dedupe-key';
const SECRET = 'dedupe-secret-0123456789abcdef0123456789ab';
// Shorter than the hang below, long enough for the acknowledged retry right after it to find the settled event.
const TTL_MS = 1000;

/** A handler that hangs until the test opens the gate, counting how often each event started it. */
@Injectable()
@LiveKitWebhookListener()
class HangingListener {
  starts = new Map<string, number>();
  private open: () => void = () => undefined;
  private gate = new Promise<void>((resolve) => (this.open = resolve));

  @OnLiveKitEvent('room_started')
  async hang(event: WebhookEvent): Promise<void> {
    this.starts.set(event.id, (this.starts.get(event.id) ?? 0) + 1);
    await this.gate;
  }

  release(): void {
    this.open();
    this.gate = new Promise<void>((resolve) => (this.open = resolve));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the duplicate ledger of inline mode, with a ttl far shorter than a hanging handler (express)', () => {
  let app: INestApplication;
  let listener: HangingListener;
  const logger = new CapturedNestLogger();

  beforeAll(async () => {
    ({ app } = await createApp(
      'express',
      [
        LiveKitModule.forRoot({
          apiKey: KEY,
          apiSecret: SECRET,
          webhookHandlerTimeoutMs: 100,
          webhookDedupeTtlMs: TTL_MS,
          webhookDedupeMaxEntries: 3,
        }),
        LiveKitWebhookModule.forRoot(),
        { module: class ListenerModule {}, providers: [HangingListener] },
      ],
      { logger },
    ));
    listener = app.get(HangingListener);
  });
  afterAll(async () => {
    listener.release();
    await app.close();
  });

  const post = (signed: SignedWebhook) =>
    request(app.getHttpServer())
      .post('/webhook')
      .set('Content-Type', 'application/webhook+json')
      .set('Authorization', signed.authorization)
      .send(signed.body.toString('utf8'));
  const event = () => signWebhook(KEY, SECRET, webhookBody('room_started'));

  it('never starts a running handler a second time, however long past the ttl its event is redelivered', async () => {
    const signed = await event();
    expect((await post(signed).expect(503)).body.errorMessage).toMatch(/still running/);
    await sleep(1.5 * TTL_MS);
    await post(signed).expect(503);
    await sleep(1.5 * TTL_MS);
    await post(signed).expect(503);
    expect(listener.starts.get(signed.id)).toBe(1);
    listener.release();
    expect((await post(signed).expect(200)).body).toEqual({ status: 'processed', id: signed.id });
    expect(listener.starts.get(signed.id)).toBe(1);
  });

  it('answers 503 to a new event when every remembered event still runs, and takes it once one settles', async () => {
    const running = await Promise.all([event(), event(), event()]);
    for (const signed of running) await post(signed).expect(503);
    const refused = await event();
    const busy = await post(refused).expect(503);
    expect(busy.body).toEqual({ errorMessage: 'too many webhook events still being handled; LiveKit will retry' });
    expect(listener.starts.get(refused.id)).toBeUndefined();
    expect(logger.at('error')).toContainEqual(
      expect.stringMatching(new RegExp(`^webhook room_started ${refused.id} answered 503: all 3 events .* WEBHOOK_DEDUPE_MAX_ENTRIES`)),
    );
    // A redelivery of a running event still waits for the same run.
    await post(running[0]).expect(503);
    listener.release();
    await sleep(50);
    // The running events settled: the new event is taken (its handler starts, and hangs on the next gate).
    expect((await post(refused).expect(503)).body.errorMessage).toMatch(/still running/);
    listener.release();
    expect([...running, refused].map((signed) => listener.starts.get(signed.id))).toEqual([1, 1, 1, 1]);
  });
});
