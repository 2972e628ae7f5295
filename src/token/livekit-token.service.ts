import { Injectable } from '@nestjs/common';
import { AccessToken } from 'livekit-server-sdk';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import type { LiveKitTokenDecision } from './interfaces/livekit-token-decision.interface';
import type { LiveKitTokenRequest } from './interfaces/livekit-token-request.interface';
import { LiveKitTokenPolicy } from './livekit-token.policy';

/** The issued token and the server URL the client should connect to. */
export interface IssuedLiveKitToken {
  token: string;
  serverUrl: string;
  decision: LiveKitTokenDecision;
}

/** Mints LiveKit access tokens. Inject it to issue tokens from your own controllers. */
@Injectable()
export class LiveKitTokenService {
  constructor(
    private readonly livekit: ResolvedLiveKitOptions,
    private readonly policy: LiveKitTokenPolicy,
  ) {}

  /** Runs the policy on a request, then mints what it decided. */
  async issue(request: LiveKitTokenRequest, httpRequest?: unknown): Promise<IssuedLiveKitToken> {
    const decision = await this.policy.decide(request, httpRequest);
    return { token: await this.mint(decision), serverUrl: this.livekit.url, decision };
  }

  /** Mints exactly the given decision, without running the policy. */
  async mint(decision: LiveKitTokenDecision): Promise<string> {
    // ttl goes in the constructor: assigned later, a number is read as an absolute date.
    const token = new AccessToken(this.livekit.apiKey, this.livekit.apiSecret, {
      identity: decision.identity,
      name: decision.name,
      metadata: decision.metadata,
      attributes: decision.attributes,
      ttl: decision.ttlSeconds ?? this.livekit.tokenTtlSeconds,
    });
    token.addGrant({ ...decision.grants, roomJoin: true, room: decision.roomName });
    if (decision.roomConfig) token.roomConfig = decision.roomConfig;
    return token.toJwt();
  }
}
