import { applyDecorators, Controller, Get, Inject, Res, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Registry } from 'prom-client';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { LIVEKIT_METRICS_REGISTRY } from './livekit-metrics.constants';

/** Builds the Prometheus scrape controller for the configured path, with the host's decorators applied. */
export function createLiveKitMetricsController(path: string, decorators: ClassDecorator[]): Type<unknown> {
  @Controller()
  // Scraped by Prometheus, not called by API clients: left out of the OpenAPI document.
  @DocumentedAs('excluded')
  @applyDecorators(...decorators)
  class LiveKitMetricsController {
    constructor(
      @Inject(LIVEKIT_METRICS_REGISTRY) private readonly registry: Registry,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    @Get(path)
    async scrape(@Res({ passthrough: true }) res: unknown): Promise<string> {
      const body = await this.registry.metrics();
      this.adapterHost.httpAdapter.setHeader(res, 'Content-Type', this.registry.contentType);
      return body;
    }
  }
  return LiveKitMetricsController;
}
