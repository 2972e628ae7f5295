import { Injectable, Optional } from '@nestjs/common';
import type { ClaimGrants } from 'livekit-server-sdk';
import { LiveKitTelemetry } from '../livekit/livekit-telemetry';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import type { LiveKitTokenDecision } from './interfaces/livekit-token-decision.interface';
import type { LiveKitTokenRequest } from './interfaces/livekit-token-request.interface';
import { Hs256TokenSigner } from './hs256-token-signer';
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
  private readonly signer: Hs256TokenSigner;

  constructor(
    private readonly livekit: ResolvedLiveKitOptions,
    private readonly policy: LiveKitTokenPolicy,
    @Optional() private readonly telemetry: LiveKitTelemetry = new LiveKitTelemetry(),
  ) {
    this.signer = new Hs256TokenSigner(livekit.apiKey, livekit.apiSecret);
  }

  /** Runs the policy on a request, then mints what it decided. */
  async issue(request: LiveKitTokenRequest, httpRequest?: unknown): Promise<IssuedLiveKitToken> {
    const decision = await this.policy.decide(request, httpRequest);
    const token = this.sign(decision);
    this.telemetry.tokenIssued(request.endpoint);
    return { token, serverUrl: this.livekit.url, decision };
  }

  /** Mints exactly the given decision, without running the policy. */
  mint(decision: LiveKitTokenDecision): Promise<string> {
    const token = this.sign(decision);
    this.telemetry.tokenIssued('direct');
    return Promise.resolve(token);
  }

  private sign(decision: LiveKitTokenDecision): string {
    // Claims in the order the SDK's AccessToken builds them.
    const grants: ClaimGrants = {};
    if (decision.metadata) grants.metadata = decision.metadata;
    if (decision.attributes) grants.attributes = decision.attributes;
    if (decision.name) grants.name = decision.name;
    grants.video = { ...decision.grants, roomJoin: true, room: decision.roomName };
    if (decision.roomConfig) grants.roomConfig = decision.roomConfig;
    return this.signer.sign(decision.identity, grants, decision.ttlSeconds ?? this.livekit.tokenTtlSeconds);
  }
}
