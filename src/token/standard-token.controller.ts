import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { StandardTokenRequestDto } from './dto/standard-token-request.dto';
import { StandardTokenResponseDto } from './dto/standard-token-response.dto';
import { LiveKitTokenService } from './livekit-token.service';
import { ApiTokenErrorResponses, TOKEN_OPENAPI_TAG } from './token-openapi.decorators';
import { LiveKitTokenRateLimitGuard } from './token-rate-limit.guard';
import { type TokenRequestBody, tokenValidationPipe } from './token-validation.pipe';

/** Response of LiveKit's standard token endpoint. */
export interface StandardTokenResponse {
  server_url: string;
  participant_token: string;
}

/** `POST /livekit/token`: LiveKit's standard token endpoint, as client SDKs' `TokenSource.endpoint` call it. */
@Controller()
@ApiTags(TOKEN_OPENAPI_TAG)
@UseFilters(LiveKitErrorResponseFilter)
@UseGuards(LiveKitTokenRateLimitGuard)
export class StandardTokenController {
  constructor(private readonly tokens: LiveKitTokenService) {}

  @Post('livekit/token')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: "Token for a room (LiveKit's standard token endpoint, `TokenSource.endpoint`)",
    operationId: 'createLiveKitToken',
  })
  @ApiBody({ type: StandardTokenRequestDto, required: false })
  @ApiCreatedResponse({ type: StandardTokenResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'A field the token policy does not allow' })
  @ApiTokenErrorResponses()
  async createToken(
    @Body(tokenValidationPipe(StandardTokenRequestDto)) body: TokenRequestBody<StandardTokenRequestDto>,
    @Req() req: unknown,
  ): Promise<StandardTokenResponse> {
    const issued = await this.tokens.issue(
      {
        endpoint: 'standard',
        roomName: body.room_name,
        participantIdentity: body.participant_identity,
        participantName: body.participant_name,
        participantMetadata: body.participant_metadata,
        participantAttributes: body.participant_attributes,
        roomConfig: body.room_config,
      },
      req,
    );
    return { server_url: issued.serverUrl, participant_token: issued.token };
  }
}
