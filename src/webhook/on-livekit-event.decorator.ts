import { SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { LiveKitEventName } from './livekit-event-names';
import { ANY_LIVEKIT_EVENT, LIVEKIT_EVENT_HANDLER_METADATA } from './livekit-webhook.constants';

/**
 * Marks a provider whose methods handle LiveKit webhook events; only marked classes are scanned,
 * so discovery stays cheap in a large application.
 */
export const LiveKitWebhookListener = DiscoveryService.createDecorator<void>();

/** Handles the named LiveKit event types; the method receives the typed `WebhookEvent`. */
export const OnLiveKitEvent = (...events: [LiveKitEventName, ...LiveKitEventName[]]): MethodDecorator =>
  SetMetadata(LIVEKIT_EVENT_HANDLER_METADATA, events);

/** Handles every LiveKit event, including types this library does not know. */
export const OnAnyLiveKitEvent = (): MethodDecorator => SetMetadata(LIVEKIT_EVENT_HANDLER_METADATA, [ANY_LIVEKIT_EVENT]);
