import type { CanActivate, Type } from '@nestjs/common';
import type { LiveKitRedisConnectionOptions } from '../../common/redis-connection-options.interface';

/** Options of {@link LiveKitRoomStateModule} that may come from a factory (`forRootAsync`). */
export interface LiveKitRoomStateModuleOptions {
  /**
   * Where the projection lives. `memory`: this process only. `redis`: shared by every instance on the
   * same Redis, each room updated atomically (WATCH/MULTI on its own key), changes fanned out by pub/sub.
   * @default 'redis' when `redis` is set or durable mode is on, else 'memory'
   */
  store?: 'memory' | 'redis';
  /**
   * Redis of the `redis` store, in any topology (`url`, `sentinel` or `cluster`, as durable mode takes it).
   * `redisOptions.keyPrefix` is not supported: use `keyPrefix` of this module.
   * @default durable mode's Redis
   */
  redis?: LiveKitRedisConnectionOptions;
  /**
   * Prefix of every Redis key and of the pub/sub channel. Keys are `<prefix>:{room:<name>}` (hash tag:
   * each room's key sits in one Redis Cluster slot) and `<prefix>:rooms`.
   * @default 'livekit:room-state'
   */
  keyPrefix?: string;
  /**
   * How often the reconciler compares the projection with RoomService (`listRooms`, `listParticipants`)
   * and repairs it, in ms. 0 turns the schedule off (`reconcile()` and `POST /rooms-state/reconcile` still work).
   * @default 30000
   */
  reconcileIntervalMs?: number;
  /**
   * Run one reconcile as the application starts (rebuilds the state after a restart).
   * @default true
   */
  reconcileOnStart?: boolean;
  /**
   * Timeout of each RoomService call of the reconciler, in ms.
   * @default 10000
   */
  reconcileRequestTimeoutMs?: number;
  /**
   * Base URL of livekit-server's API when it differs from `LiveKitModule`'s `url`.
   * @default LiveKitModule's `url`
   */
  apiUrl?: string;
  /**
   * Bearer secret of the admin endpoints and the SSE stream, checked by `LiveKitAdminGuard`. Required
   * when `routes` is on and `guard` is not replaced.
   */
  adminToken?: string;
  /**
   * Interval of the SSE stream's heartbeat comments, in ms (keeps proxies from closing an idle stream).
   * @default 15000
   */
  sseHeartbeatMs?: number;
  /**
   * Most SSE streams open at once; one more is answered 503.
   * @default 100
   */
  sseMaxClients?: number;
  /**
   * How long a finished room's record (and the sids of its ended sessions) is kept, so that late events of
   * that room session are recognised and ignored, in ms.
   * @default 3600000
   */
  finishedRoomRetentionMs?: number;
}

/** Options of {@link LiveKitRoomStateModule} that shape the module itself, so they are never asynchronous. */
export interface LiveKitRoomStateModuleExtras {
  /**
   * Serve `GET /rooms-state`, `GET /rooms-state/:room`, `POST /rooms-state/reconcile` and the SSE stream
   * `GET /rooms-state/changes`. Off by default.
   * @default false
   */
  routes?: boolean;
  /**
   * Your own guard for these routes, in place of `LiveKitAdminGuard` (then `adminToken` is not needed).
   * @default LiveKitAdminGuard
   */
  guard?: Type<CanActivate>;
  /**
   * Decorators applied to the controller, e.g. your own `@Public()`.
   * @default []
   */
  decorators?: ClassDecorator[];
  /**
   * Register the module globally, so that `LiveKitRoomStateService` can be injected everywhere.
   * @default true
   */
  isGlobal?: boolean;
}
