/** Options of {@link LiveKitHealthModule.forRoot}. */
export interface LiveKitHealthModuleOptions {
  /**
   * Base route: liveness at `<path>/live`, readiness at `<path>/ready`.
   * @default 'health'
   */
  path?: string;
  /**
   * Make readiness depend on the LiveKit server answering an HTTP GET at the http(s) form of
   * `LiveKitModule`'s `url` (`ws://` → `http://`, `wss://` → `https://`). Only when `url` was given.
   * @default true
   */
  livekit?: boolean;
  /**
   * How long each readiness check may take, in ms, before it counts as down.
   * @default 2000
   */
  timeoutMs?: number;
  /**
   * Decorators applied to the health controller, e.g. your own `@Public()` so that your global auth guard
   * lets the orchestrator's probes through.
   * @default []
   */
  decorators?: ClassDecorator[];
}
