import { ValidateIf } from 'class-validator';

/**
 * Validates the property only when it is present. Unlike `@IsOptional()`, `null` is validated (and
 * refused by the type check) instead of reaching livekit-server.
 */
export function IfPresent(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
