/** Internal: injection token of the {@link LiveKitMetricsModuleOptions} given to `forRoot`. */
export const LIVEKIT_METRICS_MODULE_OPTIONS = Symbol('LIVEKIT_METRICS_MODULE_OPTIONS');
