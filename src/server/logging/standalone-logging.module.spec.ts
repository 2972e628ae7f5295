import { Injectable, Module, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { StandaloneLoggingModule } from './standalone-logging.module';

const calls: string[] = [];

@Injectable()
class LogsAtShutdown implements OnModuleDestroy, OnApplicationShutdown {
  onModuleDestroy(): void {
    calls.push('a module logs while it is destroyed');
  }

  onApplicationShutdown(): void {
    calls.push('a module logs its last line');
  }
}

@Module({ providers: [LogsAtShutdown] })
class FeatureModule {}

@Module({ imports: [FeatureModule] })
class RootModule {}

describe('StandaloneLoggingModule', () => {
  it('makes the log destination write through before any other module runs a shutdown hook', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        StandaloneLoggingModule.around(RootModule, {
          fixedFields: pino({ enabled: false }),
          writeThrough: () => calls.push('write through'),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    await app.close();
    expect(calls).toEqual(['write through', 'a module logs while it is destroyed', 'a module logs its last line']);
  });
});
