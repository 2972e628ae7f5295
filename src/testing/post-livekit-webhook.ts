import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from 'livekit-server-sdk';
import type { LiveKitWebhookEventJson } from './livekit-webhook-event';
import { type LiveKitWebhookSigningOptions, signLiveKitWebhook } from './sign-livekit-webhook';

export interface PostLiveKitWebhookOptions extends LiveKitWebhookSigningOptions {
  /** Route of the webhook, with the app's global prefix if any. @default '/webhook' */
  path?: string;
  /** Changes the signed request before it is sent (to test what your app refuses). */
  tamper?: (request: { body: Buffer; headers: Record<string, string> }) => void;
}

export interface LiveKitWebhookResponse {
  status: number;
  body: unknown;
}

/**
 * Signs `event` as LiveKit Server does and posts it to the app over HTTP, as LiveKit Server would.
 * An app that does not listen yet is made to listen on an ephemeral port of 127.0.0.1 (`app.close()` stops it).
 */
export async function postLiveKitWebhook(
  app: INestApplication,
  event: WebhookEvent | LiveKitWebhookEventJson | Buffer | string,
  options: PostLiveKitWebhookOptions = {},
): Promise<LiveKitWebhookResponse> {
  const signed = await signLiveKitWebhook(event, options);
  const request = { body: signed.body, headers: { ...signed.headers } as Record<string, string> };
  options.tamper?.(request);
  const server = app.getHttpServer() as Server;
  if (!server.listening) await app.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}${options.path ?? '/webhook'}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body };
}
