import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Room } from '@livekit/rtc-node';
import { withTimeout } from '../common/with-timeout';
import { LiveKitOptionsError } from '../livekit/livekit.errors';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import { Hs256TokenSigner } from '../token/hs256-token-signer';
import type { LiveKitParticipantJoinOptions } from './interfaces/livekit-participant-join.interface';
import type { LiveKitParticipantsModuleOptions } from './interfaces/livekit-participants-module-options.interface';
import { LiveKitParticipantConnection } from './livekit-participant-connection';
import {
  DEFAULT_MAX_PARTICIPANT_CONNECTIONS,
  DEFAULT_PARTICIPANT_CONNECT_TIMEOUT_MS,
  LIVEKIT_PARTICIPANTS_MODULE_OPTIONS,
} from './livekit-participants.constants';
import {
  LiveKitParticipantClosedException,
  LiveKitParticipantJoinException,
  LiveKitParticipantLimitException,
} from './livekit-participants.errors';

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new LiveKitOptionsError(`${name} must be a positive integer, got ${value}`, `set ${name} in LiveKitParticipantsModule`);
  }
  return value;
}

/**
 * Joins rooms as server-side participants (the Go SDK's "interacting as a participant"), on rtc-node:
 * each {@link join} mints a token with LiveKitModule's key and connects a WebRTC participant that
 * publishes and receives data and audio. At most `maxConnections` are open at once; all of them are
 * closed when the module is destroyed (`app.close()`, or a shutdown signal with `enableShutdownHooks()`).
 */
@Injectable()
export class LiveKitParticipantsService implements OnModuleDestroy {
  private readonly logger = new Logger('LiveKitParticipantsService');
  private readonly signer: Hs256TokenSigner;
  private readonly url: string;
  private readonly maxConnections: number;
  private readonly connectTimeoutMs: number;
  private readonly open = new Set<LiveKitParticipantConnection>();
  private readonly joining = new Set<Promise<LiveKitParticipantConnection>>();
  private shuttingDown = false;

  constructor(
    private readonly livekit: ResolvedLiveKitOptions,
    @Inject(LIVEKIT_PARTICIPANTS_MODULE_OPTIONS) options: LiveKitParticipantsModuleOptions,
  ) {
    this.signer = new Hs256TokenSigner(livekit.apiKey, livekit.apiSecret);
    this.url = options.url ?? livekit.url;
    this.maxConnections = positiveInteger('maxConnections', options.maxConnections ?? DEFAULT_MAX_PARTICIPANT_CONNECTIONS);
    this.connectTimeoutMs = positiveInteger('connectTimeoutMs', options.connectTimeoutMs ?? DEFAULT_PARTICIPANT_CONNECT_TIMEOUT_MS);
  }

  /** Open connections and joins in progress. */
  get connectionCount(): number {
    return this.open.size + this.joining.size;
  }

  /** The open connections. */
  get connections(): readonly LiveKitParticipantConnection[] {
    return [...this.open];
  }

  /**
   * Joins `room` as `identity`. @throws LiveKitParticipantLimitException when `maxConnections` are open,
   * LiveKitParticipantJoinException when livekit-server refuses or does not answer in time
   */
  async join(options: LiveKitParticipantJoinOptions): Promise<LiveKitParticipantConnection> {
    if (this.shuttingDown) throw new LiveKitParticipantClosedException('joining a room during shutdown');
    if (this.connectionCount >= this.maxConnections) throw new LiveKitParticipantLimitException(this.maxConnections);
    const attempt = this.attemptJoin(options);
    this.joining.add(attempt);
    try {
      return await attempt;
    } finally {
      this.joining.delete(attempt);
    }
  }

  /** Leaves every room. */
  async leaveAll(): Promise<void> {
    const results = await Promise.allSettled([...this.open].map((connection) => connection.leave()));
    for (const result of results) {
      if (result.status === 'rejected') this.logger.warn(`leaving a room failed: ${String(result.reason)}`);
    }
  }

  /** Refuses new joins, waits for those in progress (each bounded by `connectTimeoutMs`), and closes every connection. */
  async onModuleDestroy(): Promise<void> {
    this.shuttingDown = true;
    await Promise.allSettled([...this.joining]);
    await this.leaveAll();
  }

  private async attemptJoin(options: LiveKitParticipantJoinOptions): Promise<LiveKitParticipantConnection> {
    const room = new Room();
    const connection = new LiveKitParticipantConnection(room, options.room, options.identity, (closed) => this.open.delete(closed));
    try {
      await this.connect(room, options);
    } catch (error) {
      await room.disconnect().catch(() => undefined);
      throw error instanceof LiveKitParticipantJoinException
        ? error
        : new LiveKitParticipantJoinException(options.room, options.identity, error instanceof Error ? error.message : String(error));
    }
    this.open.add(connection);
    return connection;
  }

  private async connect(room: Room, options: LiveKitParticipantJoinOptions): Promise<void> {
    const token = this.signer.sign(
      options.identity,
      {
        ...(options.metadata !== undefined && { metadata: options.metadata }),
        ...(options.attributes !== undefined && { attributes: options.attributes }),
        ...(options.name !== undefined && { name: options.name }),
        video: { ...(options.grants ?? this.livekit.defaultGrants), roomJoin: true, room: options.room },
      },
      this.livekit.tokenTtlSeconds,
    );
    await withTimeout(
      room.connect(this.url, token, { autoSubscribe: options.autoSubscribe ?? true, dynacast: false }),
      this.connectTimeoutMs,
      () => new LiveKitParticipantJoinException(options.room, options.identity, `no answer within ${this.connectTimeoutMs} ms`),
    );
  }
}
