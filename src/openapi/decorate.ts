import type { Type } from '@nestjs/common';

/** Applies method decorators to `controller.prototype[method]`, as `@Decorator()` above the method would. */
export function decorateMethod(controller: Type<unknown>, method: string, decorators: MethodDecorator[]): void {
  const prototype = controller.prototype as object;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, method);
  if (!descriptor) throw new Error(`${controller.name} has no method ${method}`);
  for (const decorator of decorators) decorator(prototype, method, descriptor);
}

/** Applies property decorators to a class's properties, in the order given (the order of the schema). */
export function decorateProperties(target: Type<unknown>, decorators: Record<string, PropertyDecorator>): void {
  for (const [property, decorator] of Object.entries(decorators)) decorator(target.prototype as object, property);
}
