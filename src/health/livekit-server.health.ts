import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { type RoomServiceClient, ServerError } from 'livekit-server-sdk';
import { fetchFailureCause, isFetchTimeout, isFetchTransportFailure } from '../common/fetch-failure';
import { LIVEKIT_MODULE_OPTIONS } from '../livekit/livekit.constants';
import { LiveKitOptionsError } from '../livekit/livekit.errors';
import type { LiveKitModuleOptions } from '../livekit/interfaces/livekit-module-options.interface';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { toLiveKitApiUrl } from '../room/livekit-api-url';
import { createRoomServiceClient } from '../room/room-service-client.provider';
import { rejectsCredentials } from '../room/room-service-error.mapper';
import type { LiveKitHealthModuleOptions } from './interfaces/livekit-health-module-options.interface';
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_LIVEKIT_CHECK_REUSE_MS,
  HEALTH_MESSAGES,
  LIVEKIT_DOWN_REASONS,
  LIVEKIT_SERVER_INDICATOR,
} from './livekit-health.constants';
import { LIVEKIT_HEALTH_MODULE_OPTIONS } from './livekit-health.internal-constants';
import { SharedResult } from './shared-result';

/** Listing one room by a name nobody uses is the cheapest RoomService call that needs a valid token. */
const PROBE_ROOM = 'nest-livekit-readiness-probe';

type LiveKitCheckResult = HealthIndicatorResult<typeof LIVEKIT_SERVER_INDICATOR>;
type DownReason = (typeof LIVEKIT_DOWN_REASONS)[keyof typeof LIVEKIT_DOWN_REASONS];

/**
 * Readiness of the LiveKit server: a RoomService `ListRooms` call for one unused room name, signed with
 * LiveKitModule's signing key (a token with the `roomList` grant, made by the SDK and never logged), to
 * the http(s) form of the configured `url`. Up only when the server answers it; down, with a `reason`,
 * when it rejects our credentials (401/403), answers 5xx or anything else, cannot be reached, or does not
 * answer within the timeout. One call at a time: concurrent probes share it, and its result answers the
 * probes of the next `livekitCacheMs` too, so that several load balancers probing every few seconds
 * cost LiveKit about one call per second.
 */
@Injectable()
export class LiveKitServerHealthIndicator {
  /** The API URL checked, or undefined when no LiveKit URL was configured (or the check is turned off). */
  readonly url: string | undefined;
  private readonly timeoutMs: number;
  private readonly shared: SharedResult<LiveKitCheckResult> | undefined;

  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(LIVEKIT_MODULE_OPTIONS) livekit: LiveKitModuleOptions,
    resolved: ResolvedLiveKitOptions,
    @Inject(LIVEKIT_HEALTH_MODULE_OPTIONS) options: LiveKitHealthModuleOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
    const reuseMs = options.livekitCacheMs ?? DEFAULT_LIVEKIT_CHECK_REUSE_MS;
    if (!Number.isFinite(reuseMs) || reuseMs < 0) {
      throw new LiveKitOptionsError(`livekitCacheMs must be zero or more, got ${reuseMs}`, 'set livekitCacheMs in ms');
    }
    // `livekit.url` is the configured value, before the module's ws://localhost:7880 default.
    if (options.livekit === false || !livekit.url) return;
    const url = toLiveKitApiUrl(livekit.url);
    // No failover to other LiveKit Cloud regions: the check is of this URL, within one timeout.
    const client = createRoomServiceClient(
      resolved,
      { apiUrl: url, requestTimeoutMs: this.timeoutMs },
      { timeoutOption: 'timeoutMs', failover: false },
    );
    this.url = url;
    this.shared = new SharedResult(() => this.probe(client, url), reuseMs);
  }

  check(): Promise<LiveKitCheckResult> {
    if (this.shared === undefined) throw new Error('the LiveKit check is off: no LiveKit url, or livekit: false');
    return this.shared.get();
  }

  private async probe(client: RoomServiceClient, url: string): Promise<LiveKitCheckResult> {
    const session = this.indicator.check(LIVEKIT_SERVER_INDICATOR);
    try {
      await client.listRooms([PROBE_ROOM]);
      return session.up({ url });
    } catch (error) {
      return session.down({ url, ...this.describeFailure(error) });
    }
  }

  /** livekit-server's 401 messages embed the token we sent: only the status is ever reported. */
  private describeFailure(error: unknown): { reason: DownReason; message: string } {
    if (error instanceof ServerError) {
      if (rejectsCredentials(error)) {
        return { reason: LIVEKIT_DOWN_REASONS.credentialsRejected, message: HEALTH_MESSAGES.livekitCredentialsRejected(error.status) };
      }
      const reason = error.status >= 500 ? LIVEKIT_DOWN_REASONS.serverError : LIVEKIT_DOWN_REASONS.unexpectedAnswer;
      return { reason, message: HEALTH_MESSAGES.livekitServerError(error.status) };
    }
    if (isFetchTimeout(error)) return { reason: LIVEKIT_DOWN_REASONS.timeout, message: HEALTH_MESSAGES.livekitTimeout(this.timeoutMs) };
    if (isFetchTransportFailure(error)) {
      return { reason: LIVEKIT_DOWN_REASONS.unreachable, message: HEALTH_MESSAGES.livekitUnreachable(fetchFailureCause(error)) };
    }
    // A 200 that is not RoomService's JSON: something else listens at the URL.
    return { reason: LIVEKIT_DOWN_REASONS.unexpectedAnswer, message: HEALTH_MESSAGES.livekitUnexpectedAnswer };
  }
}
