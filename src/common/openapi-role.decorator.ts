import { SetMetadata } from '@nestjs/common';

/** Metadata key naming how the `/openapi` entry point documents one of our controllers. */
export const LIVEKIT_OPENAPI_ROLE = 'livekit:openapi_role';

export type LiveKitOpenApiRole = 'openvidu-token' | 'standard-token' | 'health' | 'rooms' | 'participants' | 'room-state' | 'excluded';

/**
 * Marks a controller of ours for the `/openapi` entry point, which applies its Swagger decorators on
 * demand: the root entry point never loads `@nestjs/swagger`, an optional peer.
 */
export const DocumentedAs = (role: LiveKitOpenApiRole): ClassDecorator => SetMetadata(LIVEKIT_OPENAPI_ROLE, role);
