import type { CanActivate, Type } from '@nestjs/common';

/** Options of {@link LiveKitConsoleModule} that may come from a factory (`forRootAsync`). */
export interface LiveKitConsoleModuleOptions {
  /**
   * The secret the sign-in form asks for (the admin token), compared in constant time. Required unless a
   * `guard` signs people in; use a long random value (e.g. `openssl rand -base64 48`).
   */
  adminToken?: string;
  /**
   * How long a session lasts after sign-in, in ms; then the console asks to sign in again.
   * @default 28800000 (8 hours)
   */
  sessionTtlMs?: number;
  /**
   * Most sessions held at once (in this process's memory); past it the oldest one is signed out.
   * @default 100
   */
  maxSessions?: number;
  /**
   * Whether the session cookie is `Secure`: `'auto'` sets it when the request came over HTTPS (as the
   * adapter sees it: behind a proxy, set the app's trust proxy setting so that it sees `X-Forwarded-Proto`).
   * @default 'auto'
   */
  secureCookie?: boolean | 'auto';
  /**
   * Origins allowed to call the console's actions besides its own (`scheme://host[:port]` of the request),
   * e.g. when a proxy rewrites the Host header.
   * @default []
   */
  allowedOrigins?: string[];
  /**
   * How many webhook deliveries the Webhooks page keeps (newest first), in memory.
   * @default 200
   */
  deliveryLogSize?: number;
  /**
   * Where "send test event" posts its signed webhook.
   * @default `http://127.0.0.1:<the port this app listens on>/livekit/webhook`
   */
  testWebhookUrl?: string;
  /**
   * How often the Rooms page's list is read from livekit-server (`listRooms`, `listParticipants`) while a
   * console page is open, in ms. Nothing is polled while no page is open.
   * @default 2000
   */
  roomsPollIntervalMs?: number;
  /**
   * Most rooms the Rooms page shows (and reads participants of on each poll).
   * @default 50
   */
  maxRooms?: number;
  /**
   * How often the Tokens page's figures are sampled from the metrics registry, in ms; it keeps 15 minutes.
   * @default 10000
   */
  metricsSampleIntervalMs?: number;
}

/** Options of {@link LiveKitConsoleModule} that shape the module itself, so they are never asynchronous. */
export interface LiveKitConsoleModuleExtras {
  /**
   * Route prefix of the console: the page at `/<path>`, its assets at `/<path>/assets/*`, its API at `/<path>/api/*`.
   * @default 'console'
   */
  path?: string;
  /**
   * Your own guard, in place of the admin token: signing in runs it on the sign-in request (so it sees your
   * own cookie or header), and so does every console API call. It is instantiated inside this module: its
   * dependencies must come from global modules or from the `imports` of `forRootAsync`.
   */
  guard?: Type<CanActivate>;
  /**
   * Decorators applied to the console's controllers, e.g. your own `@Public()` so that your global auth
   * guard lets the sign-in page through.
   * @default []
   */
  decorators?: ClassDecorator[];
}
