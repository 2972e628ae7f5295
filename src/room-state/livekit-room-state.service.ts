import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import { filter, Observable, share, Subject } from 'rxjs';
import type {
  LiveKitParticipantState,
  LiveKitRoomChange,
  LiveKitRoomState,
  LiveKitTrackState,
} from './interfaces/livekit-room-state.interface';
import { ROOM_STATE_STORE } from './livekit-room-state.internal-constants';
import { applyEvent } from './room-state.projection';
import { publicRoom } from './room-state.record';
import { RoomStateStore } from './room-state.store';

type LocalHandler = (change: LiveKitRoomChange) => unknown;

/**
 * The live room state: rooms → participants → tracks, fed by verified webhooks and repaired by the
 * reconciler. Reads are from the store (this process, or the shared Redis); `changes$` emits every change
 * made by any instance sharing the store.
 */
@Injectable()
export class LiveKitRoomStateService implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveKitRoomState');
  private readonly subject = new Subject<LiveKitRoomChange>();
  private readonly localHandlers: { id: string; types: readonly string[]; handle: LocalHandler }[] = [];
  private readonly unsubscribeStore: () => void;

  /** Every change, by every instance sharing the store; completes when the application shuts down. */
  readonly changes$: Observable<LiveKitRoomChange> = this.subject.asObservable().pipe(share());

  constructor(@Inject(ROOM_STATE_STORE) private readonly store: RoomStateStore) {
    this.unsubscribeStore = store.onChanges((changes, local) => this.publish(changes, local));
  }

  /** Live rooms, by name, with their participants and tracks. */
  async rooms(): Promise<LiveKitRoomState[]> {
    const rooms = (await this.store.list()).map(publicRoom).filter((room): room is LiveKitRoomState => room !== undefined);
    return rooms.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One live room, or undefined. */
  async room(name: string): Promise<LiveKitRoomState | undefined> {
    return publicRoom(await this.store.get(name));
  }

  /** Participants of a room, by identity; empty when the room is not live. */
  async participants(room: string): Promise<LiveKitParticipantState[]> {
    return (await this.room(room))?.participants ?? [];
  }

  /** Tracks a participant publishes; empty when it is not in the room. */
  async tracks(room: string, identity: string): Promise<LiveKitTrackState[]> {
    return (await this.participants(room)).find((p) => p.identity === identity)?.tracks ?? [];
  }

  /** Calls `handler` with every change (of `room` only, when given); returns the unsubscribe function. */
  subscribe(handler: (change: LiveKitRoomChange) => void, options: { room?: string } = {}): () => void {
    const room = options.room;
    const subscription = (room === undefined ? this.changes$ : this.changes$.pipe(filter((c) => c.room === room))).subscribe(handler);
    return () => subscription.unsubscribe();
  }

  /**
   * Applies a verified webhook event to the state (the module's webhook listener calls it; call it yourself
   * to feed events from elsewhere). Resolves once the state is stored, with the changes it made.
   */
  async apply(event: WebhookEvent): Promise<LiveKitRoomChange[]> {
    const room = event.room?.name;
    if (!room) return [];
    return this.store.mutate(room, (record) => applyEvent(record, event, Date.now()));
  }

  /** @internal Registered by the explorer of `@OnLiveKitRoomChange()` methods. */
  addLocalHandler(id: string, types: readonly string[], handle: LocalHandler): void {
    this.localHandlers.push({ id, types, handle });
  }

  private publish(changes: LiveKitRoomChange[], local: boolean): void {
    for (const change of changes) {
      this.subject.next(change);
      if (local) this.runHandlers(change);
    }
  }

  private runHandlers(change: LiveKitRoomChange): void {
    for (const handler of this.localHandlers) {
      if (handler.types.length > 0 && !handler.types.includes(change.type)) continue;
      const fail = (error: unknown) =>
        this.logger.error(
          `room change handler ${handler.id} failed on ${change.type} of ${change.room}: ${(error as Error)?.message ?? String(error)}`,
        );
      try {
        const result = handler.handle(change);
        if (result instanceof Promise) result.catch(fail);
      } catch (error) {
        fail(error);
      }
    }
  }

  onApplicationShutdown(): void {
    this.unsubscribeStore();
    this.subject.complete();
  }
}
