import { Injectable } from '@nestjs/common';
import type { WebhookEvent } from 'livekit-server-sdk';
import { ANY_LIVEKIT_EVENT } from './livekit-webhook.constants';

const MAX_CACHED_EVENT_TYPES = 256;

/** A discovered handler method. `id` is stable across deliveries (`Class.method`). */
export interface LiveKitEventHandler {
  id: string;
  events: readonly string[];
  handle(event: WebhookEvent): unknown;
}

/** The handlers discovered at bootstrap, looked up by event type. */
@Injectable()
export class LiveKitEventHandlerRegistry {
  private readonly handlers: LiveKitEventHandler[] = [];
  /**
   * `handlersFor`'s answers: it runs for every webhook, and the handlers only change at bootstrap. Bounded,
   * as the event type is the sender's (signed) text: LiveKit has a few dozen.
   */
  private readonly byEvent = new Map<string, readonly LiveKitEventHandler[]>();
  private markComplete: () => void = () => undefined;
  /**
   * Resolves once discovery has registered every handler. Whatever runs events outside a request
   * (queue workers) waits for it, so that no event is acknowledged by a registry still empty.
   */
  readonly complete = new Promise<void>((resolve) => (this.markComplete = resolve));

  add(handler: LiveKitEventHandler): void {
    this.handlers.push(handler);
    this.byEvent.clear();
  }

  /** Called by discovery once every handler is added. */
  seal(): void {
    this.markComplete();
  }

  handlersFor(eventType: string): readonly LiveKitEventHandler[] {
    let handlers = this.byEvent.get(eventType);
    if (!handlers) {
      handlers = this.handlers.filter((h) => h.events.includes(eventType) || h.events.includes(ANY_LIVEKIT_EVENT));
      if (this.byEvent.size < MAX_CACHED_EVENT_TYPES) this.byEvent.set(eventType, handlers);
    }
    return handlers;
  }

  get size(): number {
    return this.handlers.length;
  }
}
