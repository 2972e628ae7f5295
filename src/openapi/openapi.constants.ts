/**
 * Name of the bearer security scheme of the admin endpoints: register it with
 * `new DocumentBuilder().addBearerAuth({ type: 'http', scheme: 'bearer' }, LIVEKIT_ADMIN_OPENAPI_SECURITY)`.
 */
export const LIVEKIT_ADMIN_OPENAPI_SECURITY = 'livekit-admin';
