import type { Observable } from 'rxjs';
import type { LiveKitConsoleRoom } from './interfaces/console-room.interface';

/**
 * Where the Rooms page's list comes from. The default reads livekit-server's RoomService
 * ({@link PollingConsoleRoomSource}); a room-state projection can take its place.
 */
export abstract class ConsoleRoomSource {
  /** Named on the page and in `GET /<path>/api/rooms`, so that an operator knows how fresh the list is. */
  abstract readonly backing: string;
  /** The rooms now. */
  abstract rooms(): Promise<LiveKitConsoleRoom[]>;
  /** The rooms each time they change, starting with the current ones; the work stops when nobody subscribes. */
  abstract changes(): Observable<LiveKitConsoleRoom[]>;
  /** After an action: read the server's truth again soon, rather than at the next interval. */
  abstract refresh(): void;
}
