import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { OpenViduTokenRequestDto } from './dto/openvidu-token-request.dto';
import { LiveKitTokenService } from './livekit-token.service';
import { LiveKitTokenErrorFilter } from './token-refusal.filter';
import { LiveKitTokenRateLimitGuard } from './token-rate-limit.guard';
import { type TokenRequestBody, tokenValidationPipe } from './token-validation.pipe';

/** `POST /token`: the OpenVidu application-server contract, `{roomName, participantName}` → `{token}`. */
@Controller()
@DocumentedAs('openvidu-token')
@UseFilters(LiveKitTokenErrorFilter)
@UseGuards(LiveKitTokenRateLimitGuard)
export class OpenViduTokenController {
  constructor(private readonly tokens: LiveKitTokenService) {}

  @Post('token')
  @HttpCode(HttpStatus.OK)
  async createToken(
    @Body(tokenValidationPipe(OpenViduTokenRequestDto)) body: TokenRequestBody<OpenViduTokenRequestDto>,
    @Req() req: unknown,
  ): Promise<{ token: string }> {
    const issued = await this.tokens.issue({ endpoint: 'openvidu', roomName: body.roomName, participantName: body.participantName }, req);
    return { token: issued.token };
  }
}
