import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import { matchesSecretDigest, secretDigest } from '../common/secret-digest';
import { LiveKitOptionsError } from '../livekit/livekit.errors';
import type { LiveKitRoomModuleOptions } from './interfaces/livekit-room-module-options.interface';
import { ADMIN_AUTH_REALM, LIVEKIT_ROOM_MODULE_OPTIONS } from './livekit-room.constants';
import { LiveKitAdminUnauthorizedException } from './livekit-room.errors';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Lets a request through only with `Authorization: Bearer <adminToken>`. The token is compared in
 * constant time (over SHA-256 digests, so its length does not leak either); anything else gets 401
 * with `WWW-Authenticate: Bearer`. Replace it with `LiveKitRoomModule.forRoot({ guard })`.
 */
@Injectable()
export class LiveKitAdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    @Inject(LIVEKIT_ROOM_MODULE_OPTIONS) options: LiveKitRoomModuleOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    const token = options.adminToken;
    if (!token || /\s/.test(token)) {
      throw new LiveKitOptionsError(
        'LiveKitRoomModule serves the admin endpoints but adminToken is ' + (token ? 'not a single word' : 'not set'),
        'pass adminToken (a long random secret, e.g. `openssl rand -base64 48`; ADMIN_API_TOKEN in the standalone server), ' +
          'or your own guard with `guard`, or turn the routes off',
      );
    }
    this.expected = secretDigest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const header = http.getRequest<{ headers: IncomingHttpHeaders }>().headers.authorization;
    const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
    const reason = presented === undefined ? 'missing_token' : matchesSecretDigest(presented, this.expected) ? undefined : 'invalid_token';
    if (reason === undefined) return true;
    this.adapterHost.httpAdapter.setHeader(
      http.getResponse(),
      'WWW-Authenticate',
      `Bearer realm="${ADMIN_AUTH_REALM}"${reason === 'invalid_token' ? ', error="invalid_token"' : ''}`,
    );
    throw new LiveKitAdminUnauthorizedException(reason);
  }
}
