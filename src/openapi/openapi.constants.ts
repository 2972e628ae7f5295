export const OPENAPI_PATH = 'docs';
export const OPENAPI_TITLE = 'LiveKit application server';
export const OPENAPI_DESCRIPTION =
  "Access tokens for LiveKit rooms (the OpenVidu tutorials' `POST /token` and LiveKit's standard `POST /livekit/token`), " +
  'health and, when enabled, room administration. Errors answer `{ "errorMessage": "..." }`.';
/**
 * Name of the bearer security scheme of the admin endpoints: use `@ApiBearerAuth(LIVEKIT_ADMIN_OPENAPI_SECURITY)`
 * on controllers that `LiveKitAdminGuard` protects.
 */
export const LIVEKIT_ADMIN_OPENAPI_SECURITY = 'livekit-admin';
