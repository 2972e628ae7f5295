import { type ArgumentsHost, Catch, HttpStatus, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LiveKitErrorResponseFilter, statusOf } from '../common/error-response.filter';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';

/** Why a token request was answered with an error, as `livekit_token_refusals_total` counts it. */
export const LIVEKIT_TOKEN_REFUSAL_REASONS = [
  'invalid_request',
  'unauthenticated',
  'policy_refused',
  'body_too_large',
  'rate_limited',
  'other_client_error',
  'server_error',
] as const;
export type LiveKitTokenRefusalReason = (typeof LIVEKIT_TOKEN_REFUSAL_REASONS)[number];

const BY_STATUS: Partial<Record<number, LiveKitTokenRefusalReason>> = {
  [HttpStatus.BAD_REQUEST]: 'invalid_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthenticated',
  [HttpStatus.FORBIDDEN]: 'policy_refused',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'body_too_large',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
};

/** The reason counted for an answer of `status`. */
export function tokenRefusalReason(status: number): LiveKitTokenRefusalReason {
  return BY_STATUS[status] ?? (status < 500 ? 'other_client_error' : 'server_error');
}

/** Our error answer on the token routes, counted by reason in the telemetry (the console's Tokens page, `/metrics`). */
@Catch()
@Injectable()
export class LiveKitTokenErrorFilter extends LiveKitErrorResponseFilter {
  constructor(
    adapterHost: HttpAdapterHost,
    @Optional() private readonly telemetry: LiveKitTelemetry = new LiveKitTelemetry(),
  ) {
    super(adapterHost);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    this.telemetry.tokenRefused(tokenRefusalReason(statusOf(exception) ?? HttpStatus.INTERNAL_SERVER_ERROR));
    super.catch(exception, host);
  }
}
