// `nest-livekit/openapi`: OpenAPI descriptions of our routes. Needs the optional peer @nestjs/swagger.
import './openapi.peers';

export { applyLiveKitOpenApi } from './livekit-openapi';
export { LIVEKIT_ADMIN_OPENAPI_SECURITY } from './openapi.constants';
export { ErrorResponseDto } from './error-response.dto';
export { OpenViduTokenResponseDto, StandardTokenResponseDto, TOKEN_OPENAPI_TAG } from './token-openapi';
