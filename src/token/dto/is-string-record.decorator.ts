import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A plain object whose values are all strings (LiveKit participant attributes). */
export function IsStringRecord(maxValueLength: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringRecord',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'string' && v.length <= maxValueLength),
        defaultMessage: () => `$property must be an object of strings of at most ${maxValueLength} characters`,
      },
    },
    options,
  );
}
