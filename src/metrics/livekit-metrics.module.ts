import { type DynamicModule, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { LIVEKIT_TELEMETRY } from '../livekit/livekit.constants';
import type { LiveKitMetricsModuleOptions } from './interfaces/livekit-metrics-module-options.interface';
import { DEFAULT_METRICS_PATH, LIVEKIT_METRICS_REGISTRY } from './livekit-metrics.constants';
import { LIVEKIT_METRICS_MODULE_OPTIONS } from './livekit-metrics.internal-constants';
import { createLiveKitMetricsController } from './metrics.controller';
import { PrometheusLiveKitTelemetry } from './prometheus-telemetry';
import { WebhookQueueMetrics } from './webhook-queue.metrics';

/** A metric of prom-client's defaults: when present, the registry already collects them. */
const DEFAULT_METRICS_MARKER = 'process_cpu_user_seconds_total';

function createRegistry(options: LiveKitMetricsModuleOptions): Registry {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics !== false && !registry.getSingleMetric(DEFAULT_METRICS_MARKER)) {
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}

/**
 * Prometheus metrics of the token and webhook modules at `GET /metrics`: tokens issued by endpoint,
 * webhooks received / rejected by reason / duplicated / timed out, handler durations and failures, and
 * in queue mode the queue's depth and dead letters. It replaces `LiveKitModule`'s no-op
 * {@link LiveKitTelemetry}, which is why it is global. Register it once, in the root module.
 */
@Module({})
export class LiveKitMetricsModule {
  static forRoot(options: LiveKitMetricsModuleOptions = {}): DynamicModule {
    return {
      module: LiveKitMetricsModule,
      global: true,
      controllers:
        options.routes === false ? [] : [createLiveKitMetricsController(options.path ?? DEFAULT_METRICS_PATH, options.decorators ?? [])],
      providers: [
        { provide: LIVEKIT_METRICS_MODULE_OPTIONS, useValue: options },
        { provide: LIVEKIT_METRICS_REGISTRY, useFactory: createRegistry, inject: [LIVEKIT_METRICS_MODULE_OPTIONS] },
        PrometheusLiveKitTelemetry,
        { provide: LIVEKIT_TELEMETRY, useExisting: PrometheusLiveKitTelemetry },
        WebhookQueueMetrics,
      ],
      exports: [LIVEKIT_METRICS_REGISTRY, LIVEKIT_TELEMETRY],
    };
  }
}
