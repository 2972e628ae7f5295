/** Internal: the SDK's `RoomServiceClient` built from the module options (replaced in unit specs). */
export const LIVEKIT_ROOM_SERVICE_CLIENT = Symbol('LIVEKIT_ROOM_SERVICE_CLIENT');
