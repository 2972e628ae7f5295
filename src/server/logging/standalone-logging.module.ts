import { type DynamicModule, Module, type OnModuleDestroy, type Type } from '@nestjs/common';
import type { JsonLoggers } from './json-logger';

/** The pino logger of the event lines (fixed fields, no redaction), for the standalone server's event log. */
export const EVENT_LINE_LOGGER = Symbol('EVENT_LINE_LOGGER');
const LOG_WRITE_THROUGH = Symbol('LOG_WRITE_THROUGH');

/**
 * The app's root: `root`, plus the standalone server's loggers for the modules that write straight to pino
 * ({@link EVENT_LINE_LOGGER}), and a hook that makes the log destination write through when shutdown starts.
 * Nest runs the root's destroy hooks first, so every line a module logs while shutting down is written at once.
 */
/** Global, so that a listener anywhere in the app can inject {@link EVENT_LINE_LOGGER}. */
@Module({})
class EventLineLoggerModule {}

@Module({})
export class StandaloneLoggingModule {
  static around(root: Type, loggers: Pick<JsonLoggers, 'fixedFields' | 'writeThrough'>): DynamicModule {
    const hook: OnModuleDestroy = { onModuleDestroy: () => loggers.writeThrough() };
    const eventLines: DynamicModule = {
      module: EventLineLoggerModule,
      global: true,
      providers: [{ provide: EVENT_LINE_LOGGER, useValue: loggers.fixedFields }],
      exports: [EVENT_LINE_LOGGER],
    };
    // Not global itself: Nest runs global modules' destroy hooks last.
    return { module: StandaloneLoggingModule, imports: [eventLines, root], providers: [{ provide: LOG_WRITE_THROUGH, useValue: hook }] };
  }
}
