import type { ModuleMetadata, Type } from '@nestjs/common';
import type { StandardTokenField } from '../livekit-token.constants';
import type { LiveKitTokenPolicy } from '../livekit-token.policy';

/** Options of {@link LiveKitTokenModule.forRoot}. */
export interface LiveKitTokenModuleOptions {
  /**
   * Serve `POST /token` and `POST /livekit/token`. Set false to only inject `LiveKitTokenService` in your own controllers.
   * @default true
   */
  routes?: boolean;
  /**
   * Your policy class; it is instantiated inside this module, so list the modules it depends on in `imports`.
   * @default DefaultLiveKitTokenPolicy
   */
  policy?: Type<LiveKitTokenPolicy>;
  /** Modules the policy class needs. */
  imports?: ModuleMetadata['imports'];
  /**
   * Standard-endpoint fields the default policy accepts; any other field sent gets 403 naming it.
   * @default every field
   */
  allowedFields?: readonly StandardTokenField[];
}
