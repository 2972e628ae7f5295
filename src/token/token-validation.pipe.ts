import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { OPENVIDU_REQUIRED_MESSAGE } from './livekit-token.constants';

/** Collects constraint messages depth-first, so that the first one names the first bad field. */
function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => [...Object.values(error.constraints ?? {}), ...messages(error.children ?? [])]);
}

/**
 * Validation of the token bodies, bound on our routes so it holds whatever pipes the host registers:
 * unknown fields are dropped (as the tutorials ignore them), and the message is a single sentence.
 */
export const tokenValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  exceptionFactory: (errors) => {
    const all = messages(errors);
    return new BadRequestException(all.includes(OPENVIDU_REQUIRED_MESSAGE) ? OPENVIDU_REQUIRED_MESSAGE : (all[0] ?? 'invalid body'));
  },
});
