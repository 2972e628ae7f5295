import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiPayloadTooLargeResponse, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';

/** OpenAPI tag of the token endpoints. */
export const TOKEN_OPENAPI_TAG = 'tokens';

/** The error answers both token endpoints share, documented once. */
export function ApiTokenErrorResponses(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed JSON, or a field with a wrong type or length' }),
    ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body larger than JSON_BODY_LIMIT' }),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description: 'Rate limit reached (only when LiveKitTokenRateLimitModule is registered)',
      headers: { 'Retry-After': { description: 'Seconds before the client may try again', schema: { type: 'integer' } } },
    }),
  );
}
