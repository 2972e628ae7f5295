import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type ConsoleRequest, isCrossOrigin, readCookie } from './console-http';
import { type ConsoleSession, ConsoleSessionStore } from './console-session.store';
import { LiveKitConsoleCsrfException, LiveKitConsoleSignInRequiredException } from './livekit-console.errors';
import { LIVEKIT_CONSOLE_CSRF_HEADER, LIVEKIT_CONSOLE_SESSION_COOKIE } from './livekit-console.constants';
import { ResolvedConsoleOptions } from './resolved-console-options';

const READS = new Set(['GET', 'HEAD']);

/** Where the guard leaves the session on the request, for the sign-out route. */
export const CONSOLE_SESSION_KEY = Symbol('livekit:console_session');

export type SessionRequest = ConsoleRequest & { [CONSOLE_SESSION_KEY]?: ConsoleSession };

/**
 * Every console API route but sign-in: a live session cookie (401 otherwise), and for anything but a read,
 * the session's CSRF token in `X-LiveKit-Console-CSRF` and no foreign `Origin` (403 otherwise). Reads
 * refuse a foreign `Origin` too, so that no other page can read the CSRF token through a permissive CORS setup.
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(
    private readonly sessions: ConsoleSessionStore,
    @Inject(ResolvedConsoleOptions) private readonly options: ResolvedConsoleOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<SessionRequest>();
    const session = this.sessions.find(readCookie(req.headers, LIVEKIT_CONSOLE_SESSION_COOKIE));
    if (!session) throw new LiveKitConsoleSignInRequiredException();
    if (isCrossOrigin(req, this.options.allowedOrigins)) throw new LiveKitConsoleCsrfException('cross_origin');
    if (!READS.has(req.method.toUpperCase())) {
      const header = req.headers[LIVEKIT_CONSOLE_CSRF_HEADER];
      if (!ConsoleSessionStore.csrfMatches(session, typeof header === 'string' ? header : undefined)) {
        throw new LiveKitConsoleCsrfException('missing_csrf_token');
      }
    }
    req[CONSOLE_SESSION_KEY] = session;
    return true;
  }
}
