// `nest-livekit/console`: the operator console (rooms live with moderation, webhook deliveries, dead letters,
// token figures), served by the library. No peer beyond the root's; durable mode and metrics show when registered.
export { LiveKitConsoleModule } from './livekit-console.module';
export type { LiveKitConsoleModuleOptions, LiveKitConsoleModuleExtras } from './interfaces/livekit-console-module-options.interface';
export {
  LIVEKIT_CONSOLE_MODULE_OPTIONS,
  LIVEKIT_CONSOLE_CSRF_HEADER,
  LIVEKIT_CONSOLE_SESSION_COOKIE,
  DEFAULT_CONSOLE_PATH,
} from './livekit-console.constants';
export { LiveKitConsoleDeliveryLog } from './console-delivery.log';
export type {
  LiveKitConsoleDelivery,
  LiveKitConsoleHandlerRun,
  LiveKitConsoleDeliveryOutcome,
} from './interfaces/console-delivery.interface';
export type { LiveKitConsoleRoom, LiveKitConsoleParticipant, LiveKitConsoleTrack } from './interfaces/console-room.interface';
export * from './livekit-console.errors';
