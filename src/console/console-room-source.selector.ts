import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ConsoleRoomSource } from './console-room.source';
import type { LiveKitConsoleRoom } from './interfaces/console-room.interface';
import { PollingConsoleRoomSource } from './polling-room.source';

/**
 * The Rooms page's source, chosen when the app starts: the room state when `LiveKitRoomStateModule` is
 * registered (live, fed by webhooks and repaired by its reconciler), else livekit-server's RoomService, polled.
 */
@Injectable()
export class ConsoleRoomSourceSelector extends ConsoleRoomSource {
  private selected: ConsoleRoomSource;

  constructor(polling: PollingConsoleRoomSource) {
    super();
    this.selected = polling;
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
