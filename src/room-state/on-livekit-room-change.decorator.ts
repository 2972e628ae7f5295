import { SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { LiveKitRoomChangeType } from './interfaces/livekit-room-state.interface';
import { LIVEKIT_ROOM_CHANGE_HANDLER_METADATA } from './livekit-room-state.constants';

/** Marks a provider whose methods handle room state changes; only marked classes are scanned. */
export const LiveKitRoomChangeListener = DiscoveryService.createDecorator<void>();

/**
 * Handles changes of the room state (every type when none is named); the method receives a
 * `LiveKitRoomChange`. It runs in the instance that made the change, once per change across instances
 * sharing a Redis store; use `LiveKitRoomStateService.changes$` to see every instance's changes.
 * A handler that throws or rejects is logged; the state is already stored and other handlers still run.
 */
export const OnLiveKitRoomChange = (...types: LiveKitRoomChangeType[]): MethodDecorator =>
  SetMetadata(LIVEKIT_ROOM_CHANGE_HANDLER_METADATA, types);
