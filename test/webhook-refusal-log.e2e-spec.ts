import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { captureLogLines } from './support/log-capture';
import { waitFor } from './support/spawn-server';
import { ADAPTERS, startStandalone, TEST_API_KEY, TEST_API_SECRET } from './support/standalone-app';
import { signWebhook, webhookBody } from './support/webhook-signer';

jest.setTimeout(60_000);

/**
 * LiveKit does not retry a 4xx: a refused webhook is a lost event, and the server log is the only place
 * that says so. The standalone server at LOG_LEVEL=info, its JSON lines captured.
 */
describe.each(ADAPTERS)('refused webhooks in the log of the standalone server on %s', (adapter) => {
  let app: INestApplication;
  let close: () => Promise<void>;
  let log: ReturnType<typeof captureLogLines>;

  beforeEach(async () => {
    log = captureLogLines();
    ({ app, close } = await startStandalone(adapter, { LOG_LEVEL: 'info', WEBHOOK_BODY_LIMIT: '2048' }, log.stream));
  });
  afterEach(() => close());

  const post = (body: Buffer, authorization: string, type = 'application/webhook+json') =>
    request(app.getHttpServer()).post('/webhook').set('Content-Type', type).set('Authorization', authorization).send(body.toString('utf8'));
  const refusals = () => log.lines().filter((line) => line.context === 'LiveKitWebhook' && String(line.msg).startsWith('webhook refused'));
  const output = () =>
    log
      .lines()
      .map((line) => JSON.stringify(line))
      .join('\n');

  it('writes a warn line naming the reason, the unknown key and the fix; never the token', async () => {
    const secret = 'the-secret-of-prod-key-2-0123456789abcdef';
    const signed = await signWebhook('prod-key-2', secret, webhookBody('participant_joined'));
    const res = await post(signed.body, signed.authorization).expect(401);
    expect(res.body).toEqual({ errorMessage: 'webhook not verified: unknown key' });
    await waitFor(() => refusals().length === 1, 5000, 'the refusal line');
    expect(refusals()[0]).toMatchObject({
      level: 40,
      msg: expect.stringMatching(
        /^webhook refused \(unknown key "prod-key-2"\): LiveKit does not retry a 401, this event is lost; add the key to LIVEKIT_KEYS/,
      ),
    });
    // The request line went to the same capture: nothing of the token there either.
    await waitFor(() => output().includes('"statusCode":401'), 5000, 'the request line');
    const [, payload, signature] = signed.authorization.split('.');
    for (const value of [signed.authorization, payload, signature, secret, 'eyJ']) expect(output()).not.toContain(value);
  });

  it('names the verified key and the reason of 413, 415 and 400 refusals', async () => {
    const large = await signWebhook(TEST_API_KEY, TEST_API_SECRET, webhookBody('room_started', { padding: 'x'.repeat(4096) }));
    const large413 = await post(large.body, large.authorization).expect(413);
    // Both adapters: the guard reads the body within the limit, so our error format applies on Fastify too.
    expect(large413.body).toEqual({ errorMessage: 'webhook body larger than 2048 bytes' });
    const plain = await signWebhook(TEST_API_KEY, TEST_API_SECRET, webhookBody('room_started'));
    await post(plain.body, plain.authorization, 'text/plain').expect(415);
    const notJson = await signWebhook(TEST_API_KEY, TEST_API_SECRET, Buffer.from('event=room_started'));
    await post(notJson.body, notJson.authorization).expect(400);
    await waitFor(() => refusals().length === 3, 5000, 'three refusal lines');
    expect(refusals().map((line) => [line.level, line.msg])).toEqual([
      [
        40,
        expect.stringMatching(
          /^webhook refused \(webhook body larger than 2048 bytes, key "test-key"\): LiveKit does not retry a 413.*WEBHOOK_BODY_LIMIT/,
        ),
      ],
      [40, expect.stringMatching(/^webhook refused \(content type "text\/plain", key "test-key"\): LiveKit does not retry a 415/)],
      [
        40,
        expect.stringMatching(
          /^webhook refused \(signed body is not a LiveKit event \(not JSON\), key "test-key"\): LiveKit does not retry a 400/,
        ),
      ],
    ]);
    expect(output()).not.toContain('eyJ');
  });

  it('keeps a flood of forged webhooks from flooding the log, and counts what it left out', async () => {
    const posted = 120;
    const started = Date.now();
    for (let i = 0; i < posted; i += 1) {
      const forged = await signWebhook(`forger-${i % 7}`, 'forged-secret-0123456789abcdef0123456789', webhookBody('room_started'));
      await post(forged.body, forged.authorization).expect(401);
    }
    const seconds = (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const last = await signWebhook('forger-0', 'forged-secret-0123456789abcdef0123456789', webhookBody('room_started'));
    await post(last.body, last.authorization).expect(401);
    await waitFor(() => refusals().some((line) => String(line.msg).includes('not logged since')), 5000, 'the line with the count');
    const lines = refusals();
    // At most 10 lines per second (and one per key per second) during the flood, plus the last one.
    expect(lines.length).toBeLessThanOrEqual(10 * Math.ceil(seconds + 1) + 1);
    expect(lines.length).toBeLessThan(posted);
    // Every refusal is either a line or counted in the next line.
    const counted = lines.reduce((sum, line) => sum + 1 + Number(/\((\d+) more refused/.exec(String(line.msg))?.[1] ?? 0), 0);
    expect(counted).toBe(posted + 1);
  });
});
