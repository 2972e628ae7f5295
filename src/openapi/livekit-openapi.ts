import type { INestApplicationContext, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ApiBearerAuth, ApiExcludeController, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { LIVEKIT_OPENAPI_ROLE, type LiveKitOpenApiRole } from '../common/openapi-role.decorator';
import { decorateMethod } from './decorate';
import { LIVEKIT_ADMIN_OPENAPI_SECURITY } from './openapi.constants';
import { documentOpenViduTokenController, documentStandardTokenController } from './token-openapi';

function documentHealthController(controller: Type<unknown>): void {
  ApiTags('health')(controller);
  decorateMethod(controller, 'live', [
    ApiOperation({ summary: 'Liveness: 200 while the process answers', operationId: 'liveness' }),
    ApiOkResponse({ description: '`{ "status": "ok", ... }`' }),
  ]);
  decorateMethod(controller, 'ready', [
    ApiOperation({
      summary: 'Readiness: the LiveKit server accepting our API key (when LIVEKIT_URL is set) and, in queue mode, Redis',
      operationId: 'readiness',
    }),
    ApiOkResponse({ description: 'Every dependency is up' }),
    ApiServiceUnavailableResponse({ description: 'A dependency is down, or the server is shutting down; `error` names it' }),
  ]);
}

function documentAdminController(controller: Type<unknown>): void {
  ApiTags('rooms')(controller);
  ApiBearerAuth(LIVEKIT_ADMIN_OPENAPI_SECURITY)(controller);
}

function documentRoomStateController(controller: Type<unknown>): void {
  ApiTags('room-state')(controller);
  ApiBearerAuth(LIVEKIT_ADMIN_OPENAPI_SECURITY)(controller);
  decorateMethod(controller, 'changes', [
    ApiOperation({
      summary:
        'Server-Sent Events of room state changes: `event: change` with a LiveKitRoomChange as `data`, `: heartbeat` comments; ' +
        '`?room=` for one room, `?snapshot=true` for a first `event: snapshot` `{ rooms }`',
      operationId: 'roomStateChanges',
    }),
    ApiOkResponse({ description: '`text/event-stream`, open until the client leaves or the server shuts down' }),
    ApiServiceUnavailableResponse({ description: 'As many streams are open as sseMaxClients allows' }),
  ]);
}

const DOCUMENTERS: Record<LiveKitOpenApiRole, (controller: Type<unknown>) => void> = {
  'openvidu-token': documentOpenViduTokenController,
  'standard-token': documentStandardTokenController,
  health: documentHealthController,
  rooms: documentAdminController,
  participants: documentAdminController,
  'room-state': documentRoomStateController,
  // Called by livekit-server or scraped by Prometheus, not by API clients.
  excluded: (controller) => ApiExcludeController()(controller),
};

const documented = new WeakSet<Type<unknown>>();

/**
 * Gives our controllers in `app` (token endpoints, health, admin) their OpenAPI description and leaves
 * the webhook and metrics routes out. Call it before `SwaggerModule.createDocument(app, …)`; calling
 * it again is harmless. Our controllers carry no Swagger decorators of their own, so that apps without
 * `@nestjs/swagger` never load it.
 */
export function applyLiveKitOpenApi(app: INestApplicationContext): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller || documented.has(controller)) continue;
      const role = Reflect.getMetadata(LIVEKIT_OPENAPI_ROLE, controller) as LiveKitOpenApiRole | undefined;
      if (!role) continue;
      documented.add(controller);
      DOCUMENTERS[role](controller);
    }
  }
}
