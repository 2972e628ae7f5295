// `nest-livekit/queue`: durable webhook mode on Redis. Needs the optional peers bullmq and ioredis.
import './queue.peers';

export { LiveKitWebhookQueueModule } from './livekit-webhook-queue.module';
export type {
  LiveKitWebhookQueueModuleOptions,
  LiveKitWebhookQueueReplicationOptions,
} from './interfaces/livekit-webhook-queue-module-options.interface';
export type {
  LiveKitRedisClusterOptions,
  LiveKitRedisConnectionOptions,
  LiveKitRedisNode,
  LiveKitRedisSentinelOptions,
} from '../common/redis-connection-options.interface';
export type { LiveKitReplicaWaitOutcome } from './replica-wait';
export type { LiveKitWebhookQueueRedisState } from './livekit-webhook-queue.service';
export { LIVEKIT_WEBHOOK_QUEUE_OPTIONS } from './livekit-webhook-queue.constants';
export { LiveKitWebhookQueue } from './livekit-webhook-queue.service';
export { LiveKitWebhookDeadLetters, type LiveKitWebhookDeadLetter } from './livekit-webhook-dead-letters.service';
export * from './livekit-webhook-queue.errors';
