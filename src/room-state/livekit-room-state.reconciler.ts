import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import { LiveKitRoomNotFoundException } from '../room/livekit-room.errors';
import type { LiveKitRoomService } from '../room/livekit-room.service';
import type { LiveKitRoomChange, LiveKitRoomDriftKind, LiveKitRoomStateReconcileResult } from './interfaces/livekit-room-state.interface';
import type { LiveKitRoomStateModuleOptions } from './interfaces/livekit-room-state-module-options.interface';
import {
  DEFAULT_FINISHED_ROOM_RETENTION_MS,
  DEFAULT_RECONCILE_INTERVAL_MS,
  LIVEKIT_ROOM_STATE_OPTIONS,
} from './livekit-room-state.constants';
import { ROOM_STATE_ROOM_SERVICE, ROOM_STATE_STORE } from './livekit-room-state.internal-constants';
import { type DriftCount, reconcileRecord, type ServerRoomTruth } from './room-state.reconcile';
import { toParticipantFields, toRoomInfo, toTrackState } from './room-state.record';
import { RoomStateStore } from './room-state.store';

/** RoomService calls in flight at once during a run. */
const LISTING_CONCURRENCY = 4;

function add(into: DriftCount, from: DriftCount): void {
  for (const [kind, count] of Object.entries(from) as [LiveKitRoomDriftKind, number][]) into[kind] = (into[kind] ?? 0) + count;
}

/**
 * Compares the room state with LiveKit's RoomService (`listRooms`, then `listParticipants` of each room)
 * every `reconcileIntervalMs` and on demand, and repairs what webhooks missed: each repair is a change with
 * `reconciled: true`. With a Redis store, one instance per interval runs the scheduled reconcile.
 */
@Injectable()
export class LiveKitRoomStateReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LiveKitRoomState');
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** The result of the last run that completed. */
  lastResult: LiveKitRoomStateReconcileResult | undefined;

  constructor(
    @Inject(LIVEKIT_ROOM_STATE_OPTIONS) private readonly options: LiveKitRoomStateModuleOptions,
    @Inject(ROOM_STATE_STORE) private readonly store: RoomStateStore,
    @Inject(ROOM_STATE_ROOM_SERVICE) private readonly rooms: LiveKitRoomService,
    @Optional() private readonly telemetry: LiveKitTelemetry = new LiveKitTelemetry(),
  ) {
    this.intervalMs = options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    if (this.options.reconcileOnStart !== false) void this.scheduled(true);
    else this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.intervalMs <= 0) return;
    this.timer = setTimeout(() => void this.scheduled(false), this.intervalMs);
    this.timer.unref();
  }

  private async scheduled(first: boolean): Promise<void> {
    try {
      if (first || (await this.store.claimReconcile(this.intervalMs))) await this.reconcile();
    } catch (error) {
      this.logger.warn(`room state reconcile failed: ${(error as Error)?.message ?? String(error)}; next try in ${this.intervalMs} ms`);
    }
    this.schedule();
  }

  /**
   * Runs a reconcile now (after the one running, if any) and resolves with what it found and repaired.
   * @throws what RoomService throws (`LiveKitServerUnavailableException`…), or the store's failure
   */
  reconcile(): Promise<LiveKitRoomStateReconcileResult> {
    const run = this.chain.catch(() => undefined).then(() => this.run());
    this.chain = run;
    return run;
  }

  private async run(): Promise<LiveKitRoomStateReconcileResult> {
    const startedAt = Date.now();
    const started = performance.now();
    try {
      const result = await this.compareAndRepair(startedAt);
      result.durationMs = performance.now() - started;
      this.telemetry.roomStateReconciled(result.durationMs / 1000, false);
      this.lastResult = result;
      if (result.changes.length > 0) {
        this.logger.log(`room state reconcile repaired ${result.changes.length} change(s): ${JSON.stringify(result.drift)}`);
      }
      return result;
    } catch (error) {
      this.telemetry.roomStateReconciled((performance.now() - started) / 1000, true);
      throw error;
    }
  }

  private async compareAndRepair(snapshotAt: number): Promise<LiveKitRoomStateReconcileResult> {
    const listed = await this.rooms.listRooms();
    const truths = new Map<string, ServerRoomTruth | undefined>();
    const queue = [...listed];
    const worker = async () => {
      for (let room = queue.shift(); room; room = queue.shift()) {
        try {
          const participants = await this.rooms.listParticipants(room.name);
          truths.set(room.name, {
            room: toRoomInfo(room, snapshotAt),
            participants: participants.map((p) => ({ ...toParticipantFields(p), tracks: p.tracks.map(toTrackState) })),
          });
        } catch (error) {
          if (!(error instanceof LiveKitRoomNotFoundException)) throw error;
          truths.set(room.name, undefined); // ended between the two calls
        }
      }
    };
    await Promise.all(Array.from({ length: LISTING_CONCURRENCY }, worker));
    const names = new Set([...truths.keys(), ...(await this.store.list()).map((r) => r.room?.name ?? '').filter(Boolean)]);

    const drift: DriftCount = {};
    const repaired: DriftCount = {};
    const changes: LiveKitRoomChange[] = [];
    for (const name of names) {
      let found: DriftCount = {};
      let fixed: DriftCount = {};
      changes.push(
        ...(await this.store.mutate(name, (record) => {
          const outcome = reconcileRecord(record, truths.get(name), snapshotAt, Date.now());
          found = outcome.drift;
          fixed = outcome.repaired;
          return outcome;
        })),
      );
      add(drift, found);
      add(repaired, fixed);
    }
    for (const [kind, count] of Object.entries(drift)) this.telemetry.roomStateDrift(kind, count, false);
    for (const [kind, count] of Object.entries(repaired)) this.telemetry.roomStateDrift(kind, count, true);
    await this.store.sweep(Date.now() - (this.options.finishedRoomRetentionMs ?? DEFAULT_FINISHED_ROOM_RETENTION_MS));
    return { rooms: names.size, drift, repaired, changes, startedAt: snapshotAt, durationMs: 0 };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.chain.catch(() => undefined);
  }
}
