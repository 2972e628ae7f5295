import { type DynamicModule, Module } from '@nestjs/common';
import { declaredLengthLimitProvider } from '../common/declared-length-limit.provider';
import { DefaultLiveKitTokenPolicy } from './default-token.policy';
import type { LiveKitTokenModuleOptions } from './interfaces/livekit-token-module-options.interface';
import { LIVEKIT_TOKEN_MODULE_OPTIONS } from './livekit-token.constants';
import { LiveKitTokenPolicy } from './livekit-token.policy';
import { LiveKitTokenService } from './livekit-token.service';
import { OpenViduTokenController } from './openvidu-token.controller';
import { StandardTokenController } from './standard-token.controller';

/**
 * Issues LiveKit access tokens: `POST /token` (OpenVidu) and `POST /livekit/token` (LiveKit standard),
 * and exports {@link LiveKitTokenService}. Needs {@link LiveKitModule} registered (it is global by default).
 * Import it with `forRoot()`; the dynamic module's contents come from the options.
 */
@Module({})
export class LiveKitTokenModule {
  static forRoot(options: LiveKitTokenModuleOptions = {}): DynamicModule {
    const controllers = options.routes === false ? [] : [OpenViduTokenController, StandardTokenController];
    return {
      module: LiveKitTokenModule,
      imports: options.imports ?? [],
      controllers,
      providers: [
        declaredLengthLimitProvider(controllers, 'token request body', (livekit) => livekit.tokenBodyLimit),
        { provide: LIVEKIT_TOKEN_MODULE_OPTIONS, useValue: options },
        { provide: LiveKitTokenPolicy, useClass: options.policy ?? DefaultLiveKitTokenPolicy },
        LiveKitTokenService,
      ],
      exports: [LiveKitTokenService],
    };
  }
}
