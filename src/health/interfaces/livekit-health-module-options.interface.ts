/** Options of {@link LiveKitHealthModule.forRoot}. */
export interface LiveKitHealthModuleOptions {
  /**
   * Base route: liveness at `<path>/live`, readiness at `<path>/ready`.
   * @default 'health'
   */
  path?: string;
  /**
   * Make readiness depend on the LiveKit server accepting our credentials: a RoomService `ListRooms`
   * call (for one unused room name) signed with `LiveKitModule`'s signing key, to the http(s) form of
   * its `url` (`ws://` → `http://`, `wss://` → `https://`). Only when `url` was given.
   * @default true
   */
  livekit?: boolean;
  /**
   * How long each readiness check may take, in ms, before it counts as down.
   * @default 2000
   */
  timeoutMs?: number;
  /**
   * How long a LiveKit check's result also answers later probes, in ms. Probes that arrive while a check
   * runs always share it; `0` reuses nothing beyond that.
   * @default 1000
   */
  livekitCacheMs?: number;
  /**
   * Decorators applied to the health controller, e.g. your own `@Public()` so that your global auth guard
   * lets the orchestrator's probes through.
   * @default []
   */
  decorators?: ClassDecorator[];
}
