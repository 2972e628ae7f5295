import { Get, type Type } from '@nestjs/common';
import { ConsoleApiController, type ConsoleRouteOptions } from './console-route';
import { type ConsoleTokenView, TokenMetricsSampler } from './token-metrics.sampler';

/** `/<path>/api/tokens`: token issuance and refusals by reason over the last minutes. */
export function createConsoleTokensController(options: ConsoleRouteOptions): Type<unknown> {
  @ConsoleApiController(options, 'tokens')
  class LiveKitConsoleTokensController {
    constructor(private readonly sampler: TokenMetricsSampler) {}

    @Get()
    view(): Promise<ConsoleTokenView> {
      return this.sampler.view();
    }
  }
  return LiveKitConsoleTokensController;
}
