import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LiveKitErrorResponseFilter } from '../common/error-response.filter';
import { DocumentedAs } from '../common/openapi-role.decorator';
import { type ConsoleRequest, consoleBasePath, isCrossOrigin, isHttps, readCookie, sessionCookie } from './console-http';
import type { ConsoleRouteOptions } from './console-route';
import { CONSOLE_SESSION_KEY, ConsoleSessionGuard, type SessionRequest } from './console-session.guard';
import { type ConsoleSession, ConsoleSessionStore } from './console-session.store';
import { ConsoleSignIn } from './console-sign-in.service';
import { LiveKitConsoleCsrfException } from './livekit-console.errors';
import { LIVEKIT_CONSOLE_SESSION_COOKIE } from './livekit-console.constants';
import { ResolvedConsoleOptions } from './resolved-console-options';

/** What the page learns of its session: the CSRF token to echo (kept in memory only) and the expiry. */
export interface ConsoleSessionView {
  csrfToken: string;
  expiresAt: string;
}

const view = (session: ConsoleSession): ConsoleSessionView => ({
  csrfToken: session.csrfToken,
  expiresAt: new Date(session.expiresAt).toISOString(),
});

/** `/<path>/api/session`: sign in (POST), the current session (GET), sign out (DELETE); `/<path>/api/sign-in` tells how to sign in. */
export function createConsoleSessionController(options: ConsoleRouteOptions): Type<unknown> {
  const signInGuards = options.hostGuard ? [options.hostGuard] : [];

  @Controller(`${options.path}/api`)
  @DocumentedAs('excluded')
  @UseFilters(LiveKitErrorResponseFilter)
  @applyDecorators(...options.decorators)
  class LiveKitConsoleSessionController {
    constructor(
      private readonly sessions: ConsoleSessionStore,
      private readonly signIn: ConsoleSignIn,
      private readonly adapterHost: HttpAdapterHost,
      @Inject(ResolvedConsoleOptions) private readonly settings: ResolvedConsoleOptions,
    ) {}

    /** Public: how the sign-in form signs in (`token`: it asks for the admin token; `guard`: the host decides). */
    @Get('sign-in')
    mode(): { mode: 'token' | 'guard' } {
      return { mode: this.signIn.mode };
    }

    @Post('session')
    @HttpCode(HttpStatus.CREATED)
    @UseGuards(...signInGuards)
    create(@Body() body: unknown, @Req() req: ConsoleRequest, @Res({ passthrough: true }) res: unknown): ConsoleSessionView {
      // No session yet, so no CSRF token: a sign-in posted by another site's page is refused by its Origin.
      if (isCrossOrigin(req, this.settings.allowedOrigins)) throw new LiveKitConsoleCsrfException('cross_origin');
      this.signIn.check(typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined);
      this.sessions.delete(readCookie(req.headers, LIVEKIT_CONSOLE_SESSION_COOKIE));
      const { id, session } = this.sessions.create();
      this.setCookie(req, res, id, Math.floor(this.settings.sessionTtlMs / 1000));
      return view(session);
    }

    @Get('session')
    @UseGuards(...signInGuards, ConsoleSessionGuard)
    current(@Req() req: SessionRequest): ConsoleSessionView {
      return view(req[CONSOLE_SESSION_KEY]!);
    }

    @Delete('session')
    @HttpCode(HttpStatus.NO_CONTENT)
    @UseGuards(ConsoleSessionGuard)
    remove(@Req() req: SessionRequest, @Res({ passthrough: true }) res: unknown): void {
      this.sessions.delete(readCookie(req.headers, LIVEKIT_CONSOLE_SESSION_COOKIE));
      this.setCookie(req, res, '', 0);
    }

    private setCookie(req: ConsoleRequest, res: unknown, value: string, maxAgeSeconds: number): void {
      const secure = this.settings.secureCookie === 'auto' ? isHttps(req) : this.settings.secureCookie;
      const path = consoleBasePath(req, 'session');
      const cookie = sessionCookie(LIVEKIT_CONSOLE_SESSION_COOKIE, value, { path, maxAgeSeconds, secure });
      this.adapterHost.httpAdapter.setHeader(res, 'Set-Cookie', cookie);
      this.adapterHost.httpAdapter.setHeader(res, 'Cache-Control', 'no-store');
    }
  }
  return LiveKitConsoleSessionController;
}
