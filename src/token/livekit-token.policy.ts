import type { LiveKitTokenDecision } from './interfaces/livekit-token-decision.interface';
import type { LiveKitTokenRequest } from './interfaces/livekit-token-request.interface';

/**
 * Decides, per request, which room, identity and grants a caller gets. Extend it and pass it as
 * `LiveKitTokenModule.forRoot({ policy })` to check your own `req.user`; throw an `HttpException`
 * (e.g. `ForbiddenException`, or {@link LiveKitTokenFieldNotAllowedException}) to refuse.
 */
export abstract class LiveKitTokenPolicy {
  /**
   * @param request what the caller asked for
   * @param httpRequest the framework's request object (Express or Fastify), e.g. to read `req.user`
   */
  abstract decide(request: LiveKitTokenRequest, httpRequest: unknown): LiveKitTokenDecision | Promise<LiveKitTokenDecision>;
}
