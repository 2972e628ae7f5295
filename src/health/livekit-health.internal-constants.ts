/** Internal: injection token of the {@link LiveKitHealthModuleOptions} given to `forRoot`. */
export const LIVEKIT_HEALTH_MODULE_OPTIONS = Symbol('LIVEKIT_HEALTH_MODULE_OPTIONS');
