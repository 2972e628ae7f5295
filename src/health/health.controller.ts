import { applyDecorators, Controller, Get, Logger, Res, ServiceUnavailableException, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type HealthCheckResult, HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { HEALTH_MESSAGES } from './livekit-health.constants';
import { LiveKitServerHealthIndicator } from './livekit-server.health';
import { WebhookQueueHealthIndicator } from './webhook-queue.health';

const LIVE: HealthCheckResult = { status: 'ok', info: {}, error: {}, details: {} };

/**
 * Builds the health controller for the configured path. Readiness answers terminus' report itself
 * (200, or 503 when something is down or the app is shutting down) rather than throwing, so that no
 * exception filter (ours, or the host's) rewrites the report.
 */
export function createLiveKitHealthController(path: string, decorators: ClassDecorator[]): Type<unknown> {
  @Controller(path)
  @DocumentedAs('health')
  @applyDecorators(...decorators)
  class LiveKitHealthController {
    private readonly logger = new Logger('LiveKitHealth');
    private wasReady: boolean | undefined;

    constructor(
      private readonly health: HealthCheckService,
      private readonly livekit: LiveKitServerHealthIndicator,
      private readonly queue: WebhookQueueHealthIndicator,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    /** Liveness: the process answers HTTP. It never depends on LiveKit or Redis, so an outage never restarts us. */
    @Get('live')
    live(): HealthCheckResult {
      return LIVE;
    }

    /** Readiness: LiveKit accepting our credentials (when a URL is configured) and, in queue mode, Redis answering. */
    @Get('ready')
    async ready(@Res({ passthrough: true }) res: unknown): Promise<HealthCheckResult> {
      const checks: HealthIndicatorFunction[] = [];
      if (this.livekit.url !== undefined) checks.push(() => this.livekit.check());
      if (this.queue.enabled) checks.push(() => this.queue.check());
      try {
        const result = await this.health.check(checks);
        this.noteTransition(true, result);
        return result;
      } catch (error) {
        if (!(error instanceof ServiceUnavailableException)) throw error;
        const result = error.getResponse() as HealthCheckResult;
        this.noteTransition(false, result);
        this.adapterHost.httpAdapter.status(res, 503);
        return result;
      }
    }

    /** One log line when readiness changes, instead of one per probe. */
    private noteTransition(ready: boolean, result: HealthCheckResult): void {
      if (this.wasReady === ready) return;
      this.wasReady = ready;
      if (ready) this.logger.log(HEALTH_MESSAGES.becameReady);
      else this.logger.warn(HEALTH_MESSAGES.becameUnready(Object.keys(result.error ?? {}).join(', ') || result.status));
    }
  }
  return LiveKitHealthController;
}
