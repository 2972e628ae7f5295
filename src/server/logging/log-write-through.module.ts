import { type DynamicModule, Module, type OnModuleDestroy, type Type } from '@nestjs/common';

const LOG_WRITE_THROUGH = Symbol('LOG_WRITE_THROUGH');

/**
 * The app's root: `root`, plus a hook that makes the log destination write through when shutdown starts. Nest
 * runs the root's destroy hooks first, so every line a module logs while shutting down is written at once.
 */
@Module({})
export class LogWriteThroughModule {
  static around(root: Type, writeThrough: () => void): DynamicModule {
    const hook: OnModuleDestroy = { onModuleDestroy: writeThrough };
    return { module: LogWriteThroughModule, imports: [root], providers: [{ provide: LOG_WRITE_THROUGH, useValue: hook }] };
  }
}
