import type { CanActivate, Type } from '@nestjs/common';

/** Options of {@link LiveKitAgentDispatchModule} that may come from a factory (`forRootAsync`). */
export interface LiveKitAgentDispatchModuleOptions {
  /**
   * Bearer secret of the admin endpoints, checked by {@link LiveKitAdminGuard}. Required when `routes`
   * is on and `guard` is not replaced; use a long random value (e.g. `openssl rand -base64 48`).
   */
  adminToken?: string;
  /**
   * Base URL of livekit-server's API when it differs from `LiveKitModule`'s `url` (e.g. an internal
   * address). `ws://`/`wss://` are turned into `http://`/`https://`.
   * @default LiveKitModule's `url`
   */
  apiUrl?: string;
  /**
   * Timeout of each call to livekit-server, in ms; a timeout answers 503.
   * @default 10000
   */
  requestTimeoutMs?: number;
}

/** Options of {@link LiveKitAgentDispatchModule} that shape the module itself, so they are never asynchronous. */
export interface LiveKitAgentDispatchModuleExtras {
  /**
   * Serve the admin endpoints under `/livekit/rooms/:room/agent-dispatches`. Off by default: they start
   * agents, which cost money and act in rooms.
   * @default false
   */
  routes?: boolean;
  /**
   * Your own guard for the admin endpoints, in place of {@link LiveKitAdminGuard} (then `adminToken` is
   * not needed). It is instantiated inside this module: its dependencies must come from global modules
   * or from the `imports` of `forRootAsync`.
   * @default LiveKitAdminGuard
   */
  guard?: Type<CanActivate>;
  /**
   * Decorators applied to the admin controller, e.g. your own `@Public()` or `@Throttle(...)`.
   * @default []
   */
  decorators?: ClassDecorator[];
}
