import { type ArgumentMetadata, BadRequestException, type Type, ValidationPipe, type ValidationError } from '@nestjs/common';
import { assertRequestBodyWithinBounds } from '../common/json-bounds';
import { OPENVIDU_REQUIRED_MESSAGE } from './livekit-token.constants';

/** Collects constraint messages depth-first, so that the first one names the first bad field. */
function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => [...Object.values(error.constraints ?? {}), ...messages(error.children ?? [])]);
}

/** Nest's `ValidationPipe`, after a 400 for bodies over the bounds its recursive walks can take. */
class LiveKitTokenBodyPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    assertRequestBodyWithinBounds(value);
    // No body, or one no parser took (no JSON content type): the request names nothing, as `{}` does.
    // Nest's pipe passes `undefined` through unvalidated, and the controller would read a field of it.
    return super.transform(value ?? {}, metadata);
  }
}

/**
 * Validation of a token body against `dto`, bound on our routes: bodies too deep or too large to walk
 * are refused first (`REQUEST_BODY_BOUNDS`), unknown fields are dropped (as the tutorials ignore them),
 * and the message is a single sentence.
 *
 * The DTO is given here (`expectedType`) and not through the parameter's type, which is declared as
 * {@link TokenRequestBody} so that its emitted metatype is `Object`: a host's global `ValidationPipe`
 * (which runs before route pipes) then leaves our bodies alone instead of answering its own messages
 * (`forbidNonWhitelisted`, every constraint joined) in place of the contract's.
 */
export function tokenValidationPipe(dto: Type<object>): ValidationPipe {
  return new LiveKitTokenBodyPipe({
    expectedType: dto,
    whitelist: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const all = messages(errors);
      return new BadRequestException(all.includes(OPENVIDU_REQUIRED_MESSAGE) ? OPENVIDU_REQUIRED_MESSAGE : (all[0] ?? 'invalid body'));
    },
  });
}

/** Type of a validated token body parameter: a mapped type, so the emitted `design:paramtypes` entry is `Object`. */
export type TokenRequestBody<T> = Readonly<T>;
