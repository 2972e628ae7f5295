import { BadGatewayException, Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { liveKitWebhookEvent } from '../testing/livekit-webhook-event';
import { signLiveKitWebhook } from '../testing/sign-livekit-webhook';
import { LiveKitConsoleDeliveryLog } from './console-delivery.log';
import { ResolvedConsoleOptions } from './resolved-console-options';

/** Event types "send test event" can post; none of them is a real room's. */
export const TEST_EVENT_TYPES = ['room_started', 'participant_joined', 'track_published', 'room_finished'] as const;
export type ConsoleTestEventType = (typeof TEST_EVENT_TYPES)[number];

/** What the console's own webhook endpoint answered to the test event. */
export interface ConsoleTestEventResult {
  id: string;
  event: ConsoleTestEventType;
  url: string;
  status: number;
  answer: string;
}

const SEND_TIMEOUT_MS = 10_000;
const MAX_ANSWER = 500;
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * "Send test event": signs a webhook with the first configured key, exactly as LiveKit Server does, and posts
 * it over HTTP to this app's own webhook endpoint, so that it goes through verification and the handlers like
 * a real one (the delivery is marked as a test on the Webhooks page). Its room is `console-test`.
 */
@Injectable()
export class ConsoleTestWebhookSender {
  constructor(
    private readonly livekit: ResolvedLiveKitOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly deliveries: LiveKitConsoleDeliveryLog,
    @Inject(ResolvedConsoleOptions) private readonly options: ResolvedConsoleOptions,
  ) {}

  async send(type: ConsoleTestEventType): Promise<ConsoleTestEventResult> {
    const { apiKey, apiSecret } = this.livekit;
    const event = liveKitWebhookEvent(type, {
      room: { sid: 'RM_console_test', name: 'console-test', emptyTimeout: 300, creationTime: String(Math.floor(Date.now() / 1000)) },
      ...(type === 'track_published' ? { track: { sid: 'TR_console_test', type: 'AUDIO', source: 'MICROPHONE', name: 'test' } } : {}),
    });
    const id = event.id!;
    const signed = await signLiveKitWebhook(event, { apiKey, apiSecret });
    const url = this.url();
    this.deliveries.expectTest(id);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      const answer = (await response.text()).slice(0, MAX_ANSWER);
      return { id, event: type, url, status: response.status, answer };
    } catch (error) {
      throw new BadGatewayException(`the webhook endpoint ${url} did not answer: ${(error as Error).message}`);
    }
  }

  private url(): string {
    if (this.options.testWebhookUrl) return this.options.testWebhookUrl;
    const address = (this.adapterHost.httpAdapter.getHttpServer() as { address(): AddressInfo | string | null }).address();
    if (address === null || typeof address === 'string') {
      throw new Error('this app does not listen on a TCP port: set the console option testWebhookUrl');
    }
    const host = WILDCARDS.has(address.address) ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}/livekit/webhook`;
  }
}
