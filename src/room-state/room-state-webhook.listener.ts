import { Injectable } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitWebhookListener, OnLiveKitEvent } from '../webhook/on-livekit-event.decorator';
import { LiveKitRoomStateService } from './livekit-room-state.service';

/**
 * Feeds the room state from verified webhooks, as an `@OnLiveKitEvent` handler like the host's own: it runs
 * inline before the acknowledgement, or in queue workers in durable mode. When the store fails (Redis down)
 * the handler throws, the webhook is not acknowledged, and LiveKit (or the queue) retries it.
 */
@Injectable()
@LiveKitWebhookListener()
export class RoomStateWebhookListener {
  constructor(private readonly state: LiveKitRoomStateService) {}

  @OnLiveKitEvent(
    'room_started',
    'room_finished',
    'participant_joined',
    'participant_left',
    'participant_connection_aborted',
    'track_published',
    'track_unpublished',
  )
  async apply(event: WebhookEvent): Promise<void> {
    await this.state.apply(event);
  }
}
