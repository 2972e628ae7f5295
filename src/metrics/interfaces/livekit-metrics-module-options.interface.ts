import type { Registry } from 'prom-client';

/** Options of {@link LiveKitMetricsModule.forRoot}. */
export interface LiveKitMetricsModuleOptions {
  /**
   * Route of the Prometheus scrape endpoint.
   * @default 'metrics'
   */
  path?: string;
  /**
   * Serve the scrape endpoint. Set false to expose `LIVEKIT_METRICS_REGISTRY` yourself.
   * @default true
   */
  routes?: boolean;
  /**
   * The prom-client registry our metrics go to; pass prom-client's global `register` to merge them with
   * your own. Metrics already in it under our names are reused, so one registry can serve several apps.
   * @default a new Registry per application
   */
  registry?: Registry;
  /**
   * Also collect prom-client's default Node.js process metrics (CPU, memory, event loop lag, GC) in the
   * registry, unless it already has them.
   * @default true
   */
  defaultMetrics?: boolean;
  /**
   * Buckets of `livekit_webhook_handler_duration_seconds`, in seconds.
   * @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
   */
  handlerDurationBuckets?: number[];
  /**
   * Decorators applied to the scrape controller, e.g. your own `@Public()` so that your global auth guard
   * lets Prometheus through.
   * @default []
   */
  decorators?: ClassDecorator[];
}
