import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { LIVEKIT_TOKEN_THROTTLER } from './token-throttler.token';

/**
 * Bound on our token controllers only: delegates to the limiter of `LiveKitTokenRateLimitModule` when it is
 * registered and enabled, and lets every request through otherwise (one property check). This way the
 * library never registers a global guard in its host, and the webhook route is never limited.
 */
@Injectable()
export class LiveKitTokenRateLimitGuard implements CanActivate {
  constructor(@Optional() @Inject(LIVEKIT_TOKEN_THROTTLER) private readonly throttler?: CanActivate | null) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.throttler ? (this.throttler.canActivate(context) as boolean | Promise<boolean>) : true;
  }
}
