import {
  BadRequestException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';

export type WebhookRejectionReason =
  'missing_authorization' | 'malformed_token' | 'unknown_key' | 'invalid_signature' | 'expired' | 'invalid_claims' | 'hash_mismatch';

/**
 * 401: the webhook is not proven to come from LiveKit; no handler runs. `keyId` is the key the token named
 * (its unverified `iss`, bounded and sanitised for logs), when it named one; the answer's body never shows it.
 */
export class LiveKitWebhookUnauthorizedException extends UnauthorizedException {
  constructor(
    readonly reason: WebhookRejectionReason,
    readonly keyId?: string,
  ) {
    super(`webhook not verified: ${reason.replace(/_/g, ' ')}`);
  }
}

/** 400: a verified body that is not a LiveKit event. */
export class LiveKitWebhookMalformedException extends BadRequestException {
  constructor(readonly detail: string) {
    super(`webhook body is not a LiveKit event: ${detail}`);
  }
}

/** 415: the webhook's content type is neither application/webhook+json nor application/json. */
export class LiveKitWebhookContentTypeException extends HttpException {
  readonly contentType: string;

  constructor(contentType: string | undefined) {
    super(`unsupported webhook content type ${JSON.stringify(contentType ?? '')}`, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    this.contentType = contentType ?? '';
  }
}

/** 500: the host's body parser consumed the body and kept no raw bytes, so the signature cannot be checked. */
export class LiveKitRawBodyUnavailableException extends InternalServerErrorException {
  constructor() {
    super(
      'webhook raw body unavailable: a body parser consumed it without keeping the bytes. Fix: create the app with ' +
        '`rawBody: true`, or pass `verify: captureRawBody` (exported by this library) to your JSON parser, ' +
        'or do not parse application/webhook+json yourself',
    );
  }
}

/**
 * 500: a handler threw; LiveKit retries and only the failed handlers run again. The answer's body is
 * generic; `handlers` (ids of the failed handlers, which name the host's classes) and their errors are
 * in the server log.
 */
export class LiveKitWebhookHandlerFailedException extends InternalServerErrorException {
  constructor(readonly handlers: string[]) {
    super('webhook handler failed; LiveKit will retry');
  }
}

/** 503: handlers did not finish in time; they keep running, and LiveKit's retry waits for them. */
export class LiveKitWebhookHandlerTimeoutException extends ServiceUnavailableException {
  constructor(timeoutMs: number) {
    super(`webhook handlers still running after ${timeoutMs} ms; LiveKit will retry`);
  }
}

/**
 * 503: the in-process duplicate ledger is full of events whose handlers are still running; a new event is
 * refused rather than forgetting one of them (which could start a running handler twice). LiveKit retries.
 */
export class LiveKitWebhookBusyException extends ServiceUnavailableException {
  constructor() {
    super('too many webhook events still being handled; LiveKit will retry');
  }
}
