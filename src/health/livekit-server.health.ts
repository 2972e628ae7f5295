import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { LIVEKIT_MODULE_OPTIONS } from '../livekit/livekit.constants';
import type { LiveKitModuleOptions } from '../livekit/interfaces/livekit-module-options.interface';
import type { LiveKitHealthModuleOptions } from './interfaces/livekit-health-module-options.interface';
import { DEFAULT_HEALTH_TIMEOUT_MS, HEALTH_MESSAGES, LIVEKIT_SERVER_INDICATOR } from './livekit-health.constants';
import { LIVEKIT_HEALTH_MODULE_OPTIONS } from './livekit-health.internal-constants';
import { toLiveKitHttpUrl } from './livekit-server-url';

/**
 * Readiness of the LiveKit server: an HTTP GET to the http(s) form of the configured `url`. Any answer
 * below 500 is up (livekit-server answers `GET /` with 200 "OK"); a 5xx (a proxy with no upstream),
 * a connection error or no answer within the timeout is down.
 */
@Injectable()
export class LiveKitServerHealthIndicator {
  /** The URL probed, or undefined when no LiveKit URL was configured (or the check is turned off). */
  readonly url: string | undefined;
  private readonly timeoutMs: number;

  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(LIVEKIT_MODULE_OPTIONS) livekit: LiveKitModuleOptions,
    @Inject(LIVEKIT_HEALTH_MODULE_OPTIONS) options: LiveKitHealthModuleOptions,
  ) {
    // `livekit.url` is the configured value, before the module's ws://localhost:7880 default.
    this.url = options.livekit !== false && livekit.url ? (toLiveKitHttpUrl(livekit.url) ?? livekit.url) : undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  }

  async check(): Promise<HealthIndicatorResult<typeof LIVEKIT_SERVER_INDICATOR>> {
    const session = this.indicator.check(LIVEKIT_SERVER_INDICATOR);
    const url = this.url ?? '';
    let status: number;
    try {
      const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      const message =
        name === 'TimeoutError' || name === 'AbortError'
          ? HEALTH_MESSAGES.livekitTimeout(this.timeoutMs)
          : HEALTH_MESSAGES.livekitUnreachable(causeOf(error));
      return session.down({ url, message });
    }
    if (status >= 500) return session.down({ url, message: HEALTH_MESSAGES.livekitServerError(status) });
    return session.up({ url, httpStatus: status });
  }
}

/** fetch() rejects with "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
