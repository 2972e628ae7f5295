import {
  type ArgumentMetadata,
  BadRequestException,
  type PipeTransform,
  type Type,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { assertRequestBodyWithinBounds } from '../common/json-bounds';
import { TRACK_SID_PATTERN } from './livekit-room.constants';

/** Every constraint message, naming nested properties by their path (`permission.canPublish must be…`). */
function messages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => (parent ? message.replace(error.property, path) : message));
    return [...own, ...messages(error.children ?? [], path)];
  });
}

/**
 * Validation of an admin body against `dto`, bound on our routes: bodies too deep or too large to walk
 * are refused first (`REQUEST_BODY_BOUNDS`), unknown fields are refused (a typo in an admin call must not
 * pass silently), and every message is returned (`{ errorMessage }` joins them).
 *
 * The DTO is given here and not through the parameter's type, which is declared as {@link LiveKitRoomBody}
 * so that its emitted metatype is `Object`: a host's global `ValidationPipe` then leaves it to this one.
 */
export class LiveKitRoomBodyPipe extends ValidationPipe {
  constructor(dto: Type<object>) {
    super({
      expectedType: dto,
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      exceptionFactory: (errors) => new BadRequestException(messages(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequestException('body must be a JSON object');
    }
    assertRequestBodyWithinBounds(value);
    return super.transform(value, metadata);
  }
}

/** Type of a validated admin body parameter: a mapped type, so the emitted `design:paramtypes` entry is `Object`. */
export type LiveKitRoomBody<T> = Readonly<T>;

/** A `:trackSid` path parameter must look like a LiveKit track sid. */
export class ParseTrackSidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!TRACK_SID_PATTERN.test(value))
      throw new BadRequestException(`trackSid must be a LiveKit track sid (TR_…), got ${JSON.stringify(value)}`);
    return value;
  }
}
