import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { LiveKitRoomStateReconciler } from '../room-state/livekit-room-state.reconciler';
import { LiveKitRoomStateService } from '../room-state/livekit-room-state.service';
import { ConsoleRoomSource } from './console-room.source';
import type { LiveKitConsoleRoom } from './interfaces/console-room.interface';
import { PollingConsoleRoomSource } from './polling-room.source';
import { ResolvedConsoleOptions } from './resolved-console-options';
import { RoomStateConsoleRoomSource } from './room-state.source';

function optional<T>(read: () => T): T | undefined {
  try {
    return read() ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Rooms page's source, chosen when the app starts: the room state when `LiveKitRoomStateModule` is
 * registered (live, fed by webhooks and repaired by its reconciler), else livekit-server's RoomService, polled.
 */
@Injectable()
export class ConsoleRoomSourceSelector extends ConsoleRoomSource implements OnModuleInit {
  private selected: ConsoleRoomSource;

  constructor(
    polling: PollingConsoleRoomSource,
    private readonly moduleRef: ModuleRef,
    @Inject(ResolvedConsoleOptions) private readonly options: ResolvedConsoleOptions,
  ) {
    super();
    this.selected = polling;
  }

  onModuleInit(): void {
    const state = optional(() => this.moduleRef.get(LiveKitRoomStateService, { strict: false }));
    if (!state) return;
    const reconciler = optional(() => this.moduleRef.get(LiveKitRoomStateReconciler, { strict: false }));
    this.selected = new RoomStateConsoleRoomSource(state, reconciler, this.options.maxRooms);
  }

  get backing(): string {
    return this.selected.backing;
  }

  rooms(): Promise<LiveKitConsoleRoom[]> {
    return this.selected.rooms();
  }

  changes(): Observable<LiveKitConsoleRoom[]> {
    return this.selected.changes();
  }

  refresh(): void {
    this.selected.refresh();
  }
}
