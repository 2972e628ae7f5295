import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ResolvedLiveKitOptions } from '../livekit/resolved-livekit-options';
import type { LiveKitTokenDecision } from './interfaces/livekit-token-decision.interface';
import type { LiveKitTokenModuleOptions } from './interfaces/livekit-token-module-options.interface';
import type { LiveKitTokenRequest } from './interfaces/livekit-token-request.interface';
import { LIVEKIT_TOKEN_MODULE_OPTIONS, STANDARD_TOKEN_FIELDS, type StandardTokenField } from './livekit-token.constants';
import { LiveKitTokenFieldNotAllowedException } from './livekit-token.errors';
import { LiveKitTokenPolicy } from './livekit-token.policy';
import { toRoomConfiguration } from './room-config';

const REQUEST_FIELDS: Record<StandardTokenField, keyof LiveKitTokenRequest> = {
  room_name: 'roomName',
  participant_identity: 'participantIdentity',
  participant_name: 'participantName',
  participant_metadata: 'participantMetadata',
  participant_attributes: 'participantAttributes',
  room_config: 'roomConfig',
};

/**
 * The tutorials' behaviour: any caller joins the room it names, as the identity it names, with the
 * module's default grants. On the standard endpoint, fields outside `allowedFields` are refused, and a
 * missing room or identity is generated.
 */
@Injectable()
export class DefaultLiveKitTokenPolicy extends LiveKitTokenPolicy {
  private readonly allowed: ReadonlySet<StandardTokenField>;

  constructor(
    private readonly livekit: ResolvedLiveKitOptions,
    @Inject(LIVEKIT_TOKEN_MODULE_OPTIONS) options: LiveKitTokenModuleOptions,
  ) {
    super();
    this.allowed = new Set(options.allowedFields ?? STANDARD_TOKEN_FIELDS);
  }

  decide(request: LiveKitTokenRequest): LiveKitTokenDecision {
    if (request.endpoint === 'openvidu') {
      return {
        roomName: request.roomName ?? '',
        identity: request.participantName ?? '',
        grants: this.livekit.defaultGrants,
      };
    }
    for (const field of STANDARD_TOKEN_FIELDS) {
      if (request[REQUEST_FIELDS[field]] !== undefined && !this.allowed.has(field)) {
        throw new LiveKitTokenFieldNotAllowedException(field);
      }
    }
    return {
      roomName: request.roomName ?? `room-${randomUUID().slice(0, 8)}`,
      identity: request.participantIdentity ?? request.participantName ?? `participant-${randomUUID().slice(0, 8)}`,
      name: request.participantName,
      metadata: request.participantMetadata,
      attributes: request.participantAttributes,
      grants: this.livekit.defaultGrants,
      roomConfig: request.roomConfig && toRoomConfiguration(request.roomConfig),
    };
  }
}
