/**
 * Internal: a global provider of this token (a `CanActivate`, or null) limits the token endpoints;
 * `LiveKitTokenRateLimitModule` provides it. Without one, the token routes are not limited.
 */
export const LIVEKIT_TOKEN_THROTTLER = Symbol('LIVEKIT_TOKEN_THROTTLER');
