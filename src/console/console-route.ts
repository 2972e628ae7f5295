import { applyDecorators, type CanActivate, Controller, type Type, UseFilters, UseGuards } from '@nestjs/common';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { ConsoleSessionGuard } from './console-session.guard';

/** What every console controller is built from. */
export interface ConsoleRouteOptions {
  /** The console's prefix, without slashes. */
  path: string;
  hostGuard?: Type<CanActivate>;
  decorators: ClassDecorator[];
}

/** A console API controller under `/<path>/api/<sub>`: errors as `{ errorMessage }`, the host's guard (if any), then the session's. */
export function ConsoleApiController(options: ConsoleRouteOptions, sub: string): ClassDecorator {
  const guards: Type<CanActivate>[] = options.hostGuard ? [options.hostGuard, ConsoleSessionGuard] : [ConsoleSessionGuard];
  return applyDecorators(
    Controller(`${options.path}/api/${sub}`),
    DocumentedAs('excluded'),
    UseFilters(LiveKitErrorResponseFilter),
    UseGuards(...guards),
    ...options.decorators,
  );
}
