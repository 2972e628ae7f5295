// `nest-livekit/health`: liveness and readiness routes. Needs the optional peer @nestjs/terminus.
import './health.peers';

export { LiveKitHealthModule } from './livekit-health.module';
export type { LiveKitHealthModuleOptions } from './interfaces/livekit-health-module-options.interface';
