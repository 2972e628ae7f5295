import type { DynamicModule } from '@nestjs/common';
import { LiveKitModule } from '../livekit/livekit.module';
import type { LiveKitModuleOptions } from '../livekit/interfaces/livekit-module-options.interface';
import { liveKitTestOptions } from './livekit-test-credentials';

/**
 * `LiveKitModule` with the test credentials, for `Test.createTestingModule({ imports: [...] })`, or in
 * place of the app's own registration: `.overrideModule(LiveKitModule).useModule(LiveKitTestingModule.forRoot())`.
 */
export class LiveKitTestingModule {
  static forRoot(overrides: Partial<LiveKitModuleOptions> = {}): DynamicModule {
    return LiveKitModule.forRoot(liveKitTestOptions(overrides));
  }
}
