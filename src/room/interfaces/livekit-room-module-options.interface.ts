import type { CanActivate, Type } from '@nestjs/common';

/** Options of {@link LiveKitRoomModule} that may come from a factory (`forRootAsync`). */
export interface LiveKitRoomModuleOptions {
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

/** Options of {@link LiveKitRoomModule} that shape the module itself, so they are never asynchronous. */
export interface LiveKitRoomModuleExtras {
  /**
   * Serve the admin endpoints under `/livekit/rooms`. Off by default: they can end anyone's call.
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
   * Decorators applied to the admin controllers, e.g. your own `@Public()` so that your global auth
   * guard leaves the admin token check to ours, or `@Throttle(...)`.
   * @default []
   */
  decorators?: ClassDecorator[];
}
