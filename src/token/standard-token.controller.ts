import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { StandardTokenRequestDto } from './dto/standard-token-request.dto';
import { LiveKitTokenService } from './livekit-token.service';
import { LiveKitTokenErrorFilter } from './token-refusal.filter';
import { LiveKitTokenRateLimitGuard } from './token-rate-limit.guard';
import { type TokenRequestBody, tokenValidationPipe } from './token-validation.pipe';

/** Response of LiveKit's standard token endpoint. */
export interface StandardTokenResponse {
  server_url: string;
  participant_token: string;
}

/** `POST /livekit/token`: LiveKit's standard token endpoint, as client SDKs' `TokenSource.endpoint` call it. */
@Controller()
@DocumentedAs('standard-token')
@UseFilters(LiveKitTokenErrorFilter)
@UseGuards(LiveKitTokenRateLimitGuard)
export class StandardTokenController {
  constructor(private readonly tokens: LiveKitTokenService) {}

  @Post('livekit/token')
  @HttpCode(HttpStatus.CREATED)
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
