import type { Provider } from '@nestjs/common';
import { RoomServiceClient } from 'livekit-server-sdk';
import { LiveKitOptionsError } from '../livekit/livekit.errors';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import type { LiveKitRoomModuleOptions } from './interfaces/livekit-room-module-options.interface';
import { DEFAULT_ROOM_REQUEST_TIMEOUT_MS, LIVEKIT_ROOM_MODULE_OPTIONS } from './livekit-room.constants';
import { LIVEKIT_ROOM_SERVICE_CLIENT } from './livekit-room.internal-constants';
import { toLiveKitApiUrl } from './livekit-api-url';

/** How a feature other than LiveKitRoomModule tunes the client it builds here. */
export interface RoomServiceClientTuning {
  /** The option named when the timeout is not a positive number. @default 'requestTimeoutMs' */
  timeoutOption?: string;
  /**
   * Let the SDK retry other LiveKit Cloud regions after a transport error or a 5xx (each attempt gets
   * the whole timeout; only for `*.livekit.cloud` hosts and timeouts of 5 s or more).
   * @default true
   */
  failover?: boolean;
}

/** The SDK client, signed with LiveKitModule's signing key, pointed at `apiUrl` or LiveKitModule's `url`. */
export function createRoomServiceClient(
  livekit: ResolvedLiveKitOptions,
  options: LiveKitRoomModuleOptions,
  tuning: RoomServiceClientTuning = {},
): RoomServiceClient {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_ROOM_REQUEST_TIMEOUT_MS;
  const timeoutOption = tuning.timeoutOption ?? 'requestTimeoutMs';
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new LiveKitOptionsError(`${timeoutOption} must be a positive number, got ${timeoutMs}`, `set ${timeoutOption} in ms`);
  }
  return new RoomServiceClient(toLiveKitApiUrl(options.apiUrl ?? livekit.url), livekit.apiKey, livekit.apiSecret, {
    requestTimeout: timeoutMs / 1000,
    failover: tuning.failover,
  });
}

export const roomServiceClientProvider: Provider = {
  provide: LIVEKIT_ROOM_SERVICE_CLIENT,
  useFactory: createRoomServiceClient,
  inject: [ResolvedLiveKitOptions, LIVEKIT_ROOM_MODULE_OPTIONS],
};
