/** Internal: the store of room records (memory or Redis), built from the options. */
export const ROOM_STATE_STORE = Symbol('ROOM_STATE_STORE');
/** Internal: the RoomService client the reconciler lists rooms and participants with. */
export const ROOM_STATE_ROOM_SERVICE = Symbol('ROOM_STATE_ROOM_SERVICE');
