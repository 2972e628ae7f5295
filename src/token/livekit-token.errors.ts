import { BadRequestException, ForbiddenException } from '@nestjs/common';

/** A policy refuses a field the caller sent: 403 naming it. */
export class LiveKitTokenFieldNotAllowedException extends ForbiddenException {
  constructor(readonly field: string) {
    super(`${field} is not allowed by the token policy`);
  }
}

/** A field is well-formed JSON but not a valid value for LiveKit: 400 naming it. */
export class LiveKitTokenFieldInvalidException extends BadRequestException {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field} is invalid: ${reason}`);
  }
}
