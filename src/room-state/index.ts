// `nest-livekit/room-state`: the live room state (rooms → participants → tracks) from verified webhooks,
// repaired against RoomService. In memory by default; the Redis store needs the optional peer ioredis.
export { LiveKitRoomStateModule } from './livekit-room-state.module';
export type { LiveKitRoomStateModuleOptions, LiveKitRoomStateModuleExtras } from './interfaces/livekit-room-state-module-options.interface';
export type {
  LiveKitRoomState,
  LiveKitParticipantState,
  LiveKitTrackState,
  LiveKitRoomChange,
  LiveKitRoomChangeType,
  LiveKitRoomDriftKind,
  LiveKitRoomStateReconcileResult,
} from './interfaces/livekit-room-state.interface';
export { LIVEKIT_ROOM_STATE_OPTIONS, LIVEKIT_ROOM_STATE_PATH } from './livekit-room-state.constants';
export { LiveKitRoomStateService } from './livekit-room-state.service';
export { LiveKitRoomStateReconciler } from './livekit-room-state.reconciler';
export { LiveKitRoomChangeListener, OnLiveKitRoomChange } from './on-livekit-room-change.decorator';
export * from './livekit-room-state.errors';
