// `nest-livekit/metrics`: Prometheus metrics of tokens, webhooks and the queue. Needs the optional peer prom-client.
import './metrics.peers';

export { LiveKitMetricsModule } from './livekit-metrics.module';
export type { LiveKitMetricsModuleOptions } from './interfaces/livekit-metrics-module-options.interface';
export { LIVEKIT_METRICS_REGISTRY, METRIC_NAMES as LIVEKIT_METRIC_NAMES } from './livekit-metrics.constants';
export { PrometheusLiveKitTelemetry } from './prometheus-telemetry';
