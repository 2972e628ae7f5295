import { Registry } from 'prom-client';
import type { WebhookRejectionReason } from '../webhook/livekit-webhook.errors';
import { METRIC_NAMES, WEBHOOK_REJECTION_REASONS } from './livekit-metrics.constants';
import { PrometheusLiveKitTelemetry } from './prometheus-telemetry';

// Compile-time: the list names every WebhookRejectionReason (tsc fails here when a reason is added).
type Missing = Exclude<WebhookRejectionReason, (typeof WEBHOOK_REJECTION_REASONS)[number]>;
const everyReasonListed: [Missing] extends [never] ? true : Missing = true;

async function valueOf(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('PrometheusLiveKitTelemetry', () => {
  it('lists every rejection reason', () => {
    expect(everyReasonListed).toBe(true);
  });

  it('counts tokens, webhooks and handler runs with their labels', async () => {
    const registry = new Registry();
    const telemetry = new PrometheusLiveKitTelemetry(registry, {});
    telemetry.tokenIssued('openvidu');
    telemetry.tokenIssued('openvidu');
    telemetry.tokenIssued('standard');
    telemetry.webhookReceived('room_started');
    telemetry.webhookRejected('expired');
    telemetry.webhookDuplicate('room_started');
    telemetry.webhookTimedOut('track_published');
    telemetry.handlerSettled('Listener.onJoin', 'participant_joined', 0.02, false);
    telemetry.handlerSettled('Listener.onJoin', 'participant_joined', 0.3, true);

    expect(await valueOf(registry, METRIC_NAMES.tokensIssued, { endpoint: 'openvidu' })).toBe(2);
    expect(await valueOf(registry, METRIC_NAMES.tokensIssued, { endpoint: 'standard' })).toBe(1);
    expect(await valueOf(registry, METRIC_NAMES.tokensIssued, { endpoint: 'direct' })).toBe(0);
    expect(await valueOf(registry, METRIC_NAMES.webhooksReceived, { event: 'room_started' })).toBe(1);
    expect(await valueOf(registry, METRIC_NAMES.webhooksRejected, { reason: 'expired' })).toBe(1);
    expect(await valueOf(registry, METRIC_NAMES.webhooksRejected, { reason: 'invalid_signature' })).toBe(0);
    expect(await valueOf(registry, METRIC_NAMES.webhooksDuplicate, { event: 'room_started' })).toBe(1);
    expect(await valueOf(registry, METRIC_NAMES.webhookTimeouts, { event: 'track_published' })).toBe(1);
    expect(await valueOf(registry, METRIC_NAMES.handlerFailures, { handler: 'Listener.onJoin' })).toBe(1);
    const text = await registry.metrics();
    expect(text).toContain('livekit_webhook_handler_duration_seconds_count{handler="Listener.onJoin"} 2');
    expect(text).toContain('livekit_webhook_handler_duration_seconds_bucket{le="0.025",handler="Listener.onJoin"} 1');
  });

  it('reuses the metrics already in a shared registry instead of throwing', async () => {
    const registry = new Registry();
    new PrometheusLiveKitTelemetry(registry, {}).tokenIssued('direct');
    new PrometheusLiveKitTelemetry(registry, {}).tokenIssued('direct');
    expect(await valueOf(registry, METRIC_NAMES.tokensIssued, { endpoint: 'direct' })).toBe(2);
  });

  it('uses the configured histogram buckets', async () => {
    const registry = new Registry();
    new PrometheusLiveKitTelemetry(registry, { handlerDurationBuckets: [1, 2] }).handlerSettled('H.m', 'e', 1.5, false);
    expect(await registry.metrics()).toContain('livekit_webhook_handler_duration_seconds_bucket{le="2",handler="H.m"} 1');
  });
});
