import type { ExecutionContext } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import type { VerifiedWebhookDelivery } from './interfaces/verified-delivery.interface';
import { VERIFIED_DELIVERY_KEY } from './livekit-webhook.constants';
import { LiveKitWebhookUnauthorizedException } from './livekit-webhook.errors';
import { LiveKitWebhookGuard } from './livekit-webhook.guard';
import { LiveKitWebhookVerifier } from './webhook-verifier.service';

/** Requests captured from the real livekit-server v1.13.5 by test/livekit-server.e2e-spec.ts (RECORD_LIVEKIT_FIXTURES=1). */
interface Fixture {
  capturedAt: number;
  apiKey: string;
  apiSecret: string;
  headers: { 'content-type': string; authorization: string };
  bodyBase64: string;
}

const DIR = join(__dirname, '..', '..', 'test', 'fixtures', 'livekit-webhooks');
const fixtures = readdirSync(DIR).map(
  (file) => [file.replace('.json', ''), JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture] as const,
);

function contextFor(req: object): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

function guardFor(fixture: Fixture, keys: Record<string, string> = { [fixture.apiKey]: fixture.apiSecret }): LiveKitWebhookGuard {
  const options = new ResolvedLiveKitOptions({ keys });
  return new LiveKitWebhookGuard(new LiveKitWebhookVerifier(options), options);
}

describe('LiveKitWebhookGuard on real LiveKit Server requests', () => {
  it('has fixtures for the main event types', () => {
    expect(fixtures.map(([name]) => name)).toEqual(
      expect.arrayContaining(['room_started', 'participant_joined', 'track_published', 'participant_left', 'room_finished']),
    );
  });

  describe.each(fixtures)('%s', (eventName, fixture) => {
    // The captured tokens expire 5 minutes after capture: verify as of that moment.
    beforeEach(() => jest.useFakeTimers({ now: fixture.capturedAt, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    const request = (body = Buffer.from(fixture.bodyBase64, 'base64')) => ({ headers: { ...fixture.headers }, rawBody: body });

    it('verifies the exact bytes and hands over the typed event', async () => {
      const req: ReturnType<typeof request> & { [VERIFIED_DELIVERY_KEY]?: VerifiedWebhookDelivery } = request();
      await expect(guardFor(fixture).canActivate(contextFor(req))).resolves.toBe(true);
      const delivery = req[VERIFIED_DELIVERY_KEY]!;
      expect(delivery.event.event).toBe(eventName);
      expect(delivery.apiKey).toBe(fixture.apiKey);
      expect(delivery.dedupeKey).toMatch(/^EV_/);
    });

    it('refuses the same request with one byte changed', async () => {
      const body = Buffer.from(fixture.bodyBase64, 'base64');
      body[body.length - 1] = body[body.length - 1] === 0x7d ? 0x20 : 0x7d;
      await expect(guardFor(fixture).canActivate(contextFor(request(body)))).rejects.toThrow(LiveKitWebhookUnauthorizedException);
    });

    it('refuses it when the key is not configured, or has another secret', async () => {
      await expect(guardFor(fixture, { other: fixture.apiSecret }).canActivate(contextFor(request()))).rejects.toMatchObject({
        reason: 'unknown_key',
      });
      await expect(
        guardFor(fixture, { [fixture.apiKey]: `${fixture.apiSecret}-rotated` }).canActivate(contextFor(request())),
      ).rejects.toMatchObject({ reason: 'invalid_signature' });
    });

    it('refuses it once the token has expired', async () => {
      jest.setSystemTime(fixture.capturedAt + 6 * 60_000 + 15_000);
      await expect(guardFor(fixture).canActivate(contextFor(request()))).rejects.toMatchObject({ reason: 'expired' });
    });
  });
});
