import { Injectable, Module, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LogWriteThroughModule } from './log-write-through.module';

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

describe('LogWriteThroughModule', () => {
  it('makes the log destination write through before any other module runs a shutdown hook', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LogWriteThroughModule.around(RootModule, () => calls.push('write through'))],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    await app.close();
    expect(calls).toEqual(['write through', 'a module logs while it is destroyed', 'a module logs its last line']);
  });
});
