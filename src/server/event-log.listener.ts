import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import type { Logger as PinoLogger } from 'pino';
import { LiveKitWebhookListener, OnAnyLiveKitEvent } from '../index';
import { EVENT_LINE_LOGGER } from './logging/standalone-logging.module';

type EventSummary = Record<string, string>;

/** Fields of an event worth one structured log line, the empty ones left out; never tokens or secrets. */
export function summarizeEvent(event: WebhookEvent): EventSummary {
  const summary: EventSummary = {};
  const add = (name: string, value: string | undefined): void => {
    if (value) summary[name] = value;
  };
  add('event', event.event);
  add('id', event.id);
  add('createdAt', event.createdAt.toString());
  add('room', event.room?.name);
  add('roomSid', event.room?.sid);
  add('participant', event.participant?.identity);
  add('participantSid', event.participant?.sid);
  add('track', event.track?.sid);
  add('trackSource', event.track ? String(event.track.source) : undefined);
  add('egress', event.egressInfo?.egressId);
  add('ingress', event.ingressInfo?.ingressId);
  return summary;
}

/** The context of the event lines: they carry {@link summarizeEvent}'s fixed fields only. */
export const EVENT_LOG_CONTEXT = 'LiveKitEvent';

/**
 * The standalone server's own handler: one structured log line per LiveKit event. Written straight to the
 * server's pino logger for fixed-field lines when there is one (no redaction to run: the summary holds no
 * credential), through Nest's `Logger` otherwise.
 */
@Injectable()
@LiveKitWebhookListener()
export class EventLogListener {
  private readonly nestLogger = new Logger(EVENT_LOG_CONTEXT);
  private readonly lines: PinoLogger | undefined;

  constructor(@Optional() @Inject(EVENT_LINE_LOGGER) pino?: PinoLogger) {
    this.lines = pino?.child({ context: EVENT_LOG_CONTEXT });
  }

  @OnAnyLiveKitEvent()
  log(event: WebhookEvent): void {
    const message = `livekit event ${event.event}`;
    if (this.lines) this.lines.info(summarizeEvent(event), message);
    else this.nestLogger.log({ msg: message, ...summarizeEvent(event) });
  }
}
