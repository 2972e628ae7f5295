import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { OpenViduTokenRequestDto } from './dto/openvidu-token-request.dto';
import { OpenViduTokenResponseDto } from './dto/openvidu-token-response.dto';
import { LiveKitTokenService } from './livekit-token.service';
import { ApiTokenErrorResponses, TOKEN_OPENAPI_TAG } from './token-openapi.decorators';
import { LiveKitTokenRateLimitGuard } from './token-rate-limit.guard';
import { type TokenRequestBody, tokenValidationPipe } from './token-validation.pipe';

/** `POST /token`: the OpenVidu application-server contract, `{roomName, participantName}` → `{token}`. */
@Controller()
@ApiTags(TOKEN_OPENAPI_TAG)
@UseFilters(LiveKitErrorResponseFilter)
@UseGuards(LiveKitTokenRateLimitGuard)
export class OpenViduTokenController {
  constructor(private readonly tokens: LiveKitTokenService) {}

  @Post('token')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Token for a room (OpenVidu application-server tutorials)', operationId: 'createOpenViduToken' })
  @ApiBody({ type: OpenViduTokenRequestDto })
  @ApiOkResponse({ type: OpenViduTokenResponseDto })
  @ApiTokenErrorResponses()
  async createToken(
    @Body(tokenValidationPipe(OpenViduTokenRequestDto)) body: TokenRequestBody<OpenViduTokenRequestDto>,
    @Req() req: unknown,
  ): Promise<{ token: string }> {
    const issued = await this.tokens.issue({ endpoint: 'openvidu', roomName: body.roomName, participantName: body.participantName }, req);
    return { token: issued.token };
  }
}
