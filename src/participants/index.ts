// `nest-livekit/participants`: this server joins rooms as a participant (publish and receive data and
// audio). Needs the optional peer @livekit/rtc-node.
import './participants.peers';

export { LiveKitParticipantsModule } from './livekit-participants.module';
export type { LiveKitParticipantsModuleOptions } from './interfaces/livekit-participants-module-options.interface';
export type {
  LiveKitParticipantJoinOptions,
  LiveKitPublishAudioOptions,
  LiveKitPublishDataOptions,
} from './interfaces/livekit-participant-join.interface';
export { LIVEKIT_PARTICIPANTS_MODULE_OPTIONS } from './livekit-participants.constants';
export { LiveKitParticipantsService } from './livekit-participants.service';
export { LiveKitParticipantConnection, type LiveKitReceivedData, type LiveKitReceivedTrack } from './livekit-participant-connection';
export { LiveKitLocalAudioTrack } from './livekit-local-audio-track';
export * from './livekit-participants.errors';
