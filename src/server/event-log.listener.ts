import { Injectable, Logger } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import { LiveKitWebhookListener, OnAnyLiveKitEvent } from '../index';

/** Fields of an event worth one structured log line; never tokens or secrets. */
export function summarizeEvent(event: WebhookEvent): Record<string, string | undefined> {
  return {
    event: event.event,
    id: event.id,
    createdAt: event.createdAt.toString(),
    room: event.room?.name,
    roomSid: event.room?.sid,
    participant: event.participant?.identity,
    participantSid: event.participant?.sid,
    track: event.track?.sid,
    trackSource: event.track ? String(event.track.source) : undefined,
    egress: event.egressInfo?.egressId,
    ingress: event.ingressInfo?.ingressId,
  };
}

/** The context of the event lines: they carry {@link summarizeEvent}'s fixed fields only. */
export const EVENT_LOG_CONTEXT = 'LiveKitEvent';

/** The standalone server's own handler: one structured log line per LiveKit event. */
@Injectable()
@LiveKitWebhookListener()
export class EventLogListener {
  private readonly logger = new Logger(EVENT_LOG_CONTEXT);

  @OnAnyLiveKitEvent()
  log(event: WebhookEvent): void {
    const summary = summarizeEvent(event);
    const fields = Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined && v !== ''));
    this.logger.log({ msg: `livekit event ${event.event}`, ...fields });
  }
}
