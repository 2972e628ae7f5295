import { Inject, Injectable } from '@nestjs/common';
import type { Counter, Histogram, Registry } from 'prom-client';
import { LiveKitTelemetry, type LiveKitReplicaWaitOutcome } from '../livekit/livekit-telemetry';
import type { LiveKitTokenEndpoint } from '../token/interfaces/livekit-token-request.interface';
import { LIVEKIT_TOKEN_REFUSAL_REASONS, type LiveKitTokenRefusalReason } from '../token/token-refusal.filter';
import type { WebhookRejectionReason } from '../webhook/livekit-webhook.errors';
import type { LiveKitMetricsModuleOptions } from './interfaces/livekit-metrics-module-options.interface';
import {
  DEFAULT_HANDLER_DURATION_BUCKETS,
  LIVEKIT_METRICS_REGISTRY,
  METRIC_NAMES,
  REPLICA_WAIT_OUTCOMES,
  WEBHOOK_REJECTION_REASONS,
} from './livekit-metrics.constants';
import { LIVEKIT_METRICS_MODULE_OPTIONS } from './livekit-metrics.internal-constants';
import { counter, histogram } from './metric-registration';

const TOKEN_ENDPOINTS: readonly LiveKitTokenEndpoint[] = ['openvidu', 'standard', 'direct'];

/** Children of a labelled metric by label value, so that the hot path does one Map lookup, not a label hash. */
class ChildCache<C> {
  private readonly children = new Map<string, C>();

  constructor(private readonly create: (value: string) => C) {}

  get(value: string): C {
    let child = this.children.get(value);
    if (child === undefined) {
      child = this.create(value);
      this.children.set(value, child);
    }
    return child;
  }
}

/** {@link LiveKitTelemetry} as Prometheus counters and a histogram (prom-client). */
@Injectable()
export class PrometheusLiveKitTelemetry extends LiveKitTelemetry {
  private readonly tokens: ChildCache<Counter.Internal>;
  private readonly tokenRefusals: ChildCache<Counter.Internal>;
  private readonly received: ChildCache<Counter.Internal>;
  private readonly rejected: ChildCache<Counter.Internal>;
  private readonly duplicates: ChildCache<Counter.Internal>;
  private readonly timeouts: ChildCache<Counter.Internal>;
  private readonly durations: ChildCache<Histogram.Internal<'handler'>>;
  private readonly failures: ChildCache<Counter.Internal>;
  private readonly driftFound: ChildCache<Counter.Internal>;
  private readonly driftRepaired: ChildCache<Counter.Internal>;
  private readonly reconcileDuration: Histogram;
  private readonly reconcileFailures: Counter;
  private readonly replicaWaits: ChildCache<Counter.Internal>;
  private readonly replicaWaitDuration: Histogram;
  private readonly primaryChanges: ChildCache<Counter.Internal>;

  constructor(
    @Inject(LIVEKIT_METRICS_REGISTRY) registry: Registry,
    @Inject(LIVEKIT_METRICS_MODULE_OPTIONS) options: LiveKitMetricsModuleOptions,
  ) {
    super();
    const byLabel = <T extends string>(metric: Counter<T>) => new ChildCache((value) => metric.labels(value));
    this.tokens = byLabel(
      counter(registry, { name: METRIC_NAMES.tokensIssued, help: 'Access tokens issued, by endpoint', labelNames: ['endpoint'] }),
    );
    this.tokenRefusals = byLabel(
      counter(registry, {
        name: METRIC_NAMES.tokensRefused,
        help: 'Token requests answered with an error, by reason',
        labelNames: ['reason'],
      }),
    );
    this.received = byLabel(
      counter(registry, { name: METRIC_NAMES.webhooksReceived, help: 'Verified webhooks received, by event type', labelNames: ['event'] }),
    );
    this.rejected = byLabel(
      counter(registry, { name: METRIC_NAMES.webhooksRejected, help: 'Webhooks refused with 401, by reason', labelNames: ['reason'] }),
    );
    this.duplicates = byLabel(
      counter(registry, {
        name: METRIC_NAMES.webhooksDuplicate,
        help: 'Verified webhooks of an event already processed (acknowledged without running handlers), by event type',
        labelNames: ['event'],
      }),
    );
    this.timeouts = byLabel(
      counter(registry, {
        name: METRIC_NAMES.webhookTimeouts,
        help: 'Webhooks answered 503 because their handlers were still running, by event type',
        labelNames: ['event'],
      }),
    );
    const duration = histogram(registry, {
      name: METRIC_NAMES.handlerDuration,
      help: 'Run time of @OnLiveKitEvent handlers, failed runs included, by handler',
      labelNames: ['handler'],
      buckets: options.handlerDurationBuckets ?? DEFAULT_HANDLER_DURATION_BUCKETS,
    });
    this.durations = new ChildCache((value) => duration.labels(value));
    this.failures = byLabel(
      counter(registry, {
        name: METRIC_NAMES.handlerFailures,
        help: 'Runs of @OnLiveKitEvent handlers that threw, by handler',
        labelNames: ['handler'],
      }),
    );
    this.driftFound = byLabel(
      counter(registry, {
        name: METRIC_NAMES.roomStateDriftFound,
        help: 'Differences the room state reconciler found between the projection and LiveKit, by kind',
        labelNames: ['kind'],
      }),
    );
    this.driftRepaired = byLabel(
      counter(registry, {
        name: METRIC_NAMES.roomStateDriftRepaired,
        help: 'Differences the room state reconciler repaired (emitted as reconciled changes), by kind',
        labelNames: ['kind'],
      }),
    );
    this.reconcileDuration = histogram(registry, {
      name: METRIC_NAMES.roomStateReconcileDuration,
      help: 'Run time of room state reconcile runs',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.reconcileFailures = counter(registry, {
      name: METRIC_NAMES.roomStateReconcileFailures,
      help: 'Room state reconcile runs that failed (RoomService or the store did not answer)',
    });
    this.replicaWaits = byLabel(
      counter(registry, {
        name: METRIC_NAMES.replicaWaits,
        help: 'Waits for Redis replicas to confirm a queue write (replication option), by outcome: confirmed, short (too few in time), failed',
        labelNames: ['outcome'],
      }),
    );
    this.replicaWaitDuration = histogram(registry, {
      name: METRIC_NAMES.replicaWaitDuration,
      help: 'How long queue writes waited for Redis replicas to confirm them (replication option)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.primaryChanges = byLabel(
      counter(registry, {
        name: METRIC_NAMES.redisPrimaryChanges,
        help: 'Failovers seen: a Redis connection now writes to another primary than before (Sentinel or Cluster), by client',
        labelNames: ['client'],
      }),
    );
    for (const outcome of REPLICA_WAIT_OUTCOMES) this.replicaWaits.get(outcome).inc(0);
    // Series that exist from the start, so that rate() and alerts see a 0 rather than nothing.
    for (const endpoint of TOKEN_ENDPOINTS) this.tokens.get(endpoint).inc(0);
    for (const reason of WEBHOOK_REJECTION_REASONS) this.rejected.get(reason).inc(0);
    for (const reason of LIVEKIT_TOKEN_REFUSAL_REASONS) this.tokenRefusals.get(reason).inc(0);
  }

  override tokenIssued(endpoint: LiveKitTokenEndpoint): void {
    this.tokens.get(endpoint).inc();
  }

  override tokenRefused(reason: LiveKitTokenRefusalReason): void {
    this.tokenRefusals.get(reason).inc();
  }

  override webhookReceived(event: string): void {
    this.received.get(event).inc();
  }

  override webhookRejected(reason: WebhookRejectionReason): void {
    this.rejected.get(reason).inc();
  }

  override webhookDuplicate(event: string): void {
    this.duplicates.get(event).inc();
  }

  override webhookTimedOut(event: string): void {
    this.timeouts.get(event).inc();
  }

  override handlerSettled(handler: string, _event: string, seconds: number, failed: boolean): void {
    this.durations.get(handler).observe(seconds);
    if (failed) this.failures.get(handler).inc();
  }

  override roomStateDrift(kind: string, count: number, repaired: boolean): void {
    (repaired ? this.driftRepaired : this.driftFound).get(kind).inc(count);
  }

  override roomStateReconciled(seconds: number, failed: boolean): void {
    this.reconcileDuration.observe(seconds);
    if (failed) this.reconcileFailures.inc();
  }

  override redisPrimaryChanged(client: string): void {
    this.primaryChanges.get(client).inc();
  }

  override replicaWaitSettled(outcome: LiveKitReplicaWaitOutcome, seconds: number): void {
    this.replicaWaits.get(outcome).inc();
    this.replicaWaitDuration.observe(seconds);
  }
}
