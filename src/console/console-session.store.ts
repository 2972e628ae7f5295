import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Subject } from 'rxjs';
import { ResolvedConsoleOptions } from './resolved-console-options';

/** A signed-in console session. */
export interface ConsoleSession {
  /** Echoed by the page in a header on every action (`X-LiveKit-Console-CSRF`). */
  csrfToken: string;
  expiresAt: number;
}

/** What sign-in hands out: the opaque id for the cookie, and the session. */
export interface IssuedConsoleSession {
  id: string;
  session: ConsoleSession;
}

const ID_BYTES = 32;

/** Sessions are looked up by the SHA-256 of their id: what the map holds cannot be presented as a cookie. */
function keyOf(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url');
}

/**
 * The console's sessions, in this process's memory: an opaque random id (256 bits) in the cookie, a random
 * CSRF token per session, a fixed expiry. At most `maxSessions`: a new sign-in past it ends the oldest.
 * Several instances behind one address need sticky sessions (or sign in on each).
 */
@Injectable()
export class ConsoleSessionStore {
  /** In insertion order, which is the order of expiry (the TTL is the same for all). */
  private readonly sessions = new Map<string, ConsoleSession>();
  /** A session signed out, or pushed out by newer ones: its live streams close. */
  readonly ended = new Subject<ConsoleSession>();
  now: () => number = Date.now;

  constructor(@Inject(ResolvedConsoleOptions) private readonly options: ResolvedConsoleOptions) {}

  create(): IssuedConsoleSession {
    this.sweep();
    while (this.sessions.size >= this.options.maxSessions) this.end(this.sessions.keys().next().value as string);
    const id = randomBytes(ID_BYTES).toString('base64url');
    const session: ConsoleSession = {
      csrfToken: randomBytes(ID_BYTES).toString('base64url'),
      expiresAt: this.now() + this.options.sessionTtlMs,
    };
    this.sessions.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session of a cookie's id, or undefined (unknown, expired, signed out). */
  find(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined || id.length > 128) return undefined;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.end(key);
      return undefined;
    }
    return session;
  }

  delete(id: string | undefined): void {
    if (id !== undefined && id.length <= 128) this.end(keyOf(id));
  }

  private end(key: string): void {
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    this.ended.next(session);
  }

  /** Whether `presented` is the session's CSRF token, in constant time. */
  static csrfMatches(session: ConsoleSession, presented: string | undefined): boolean {
    if (presented === undefined) return false;
    const a = createHash('sha256').update(presented, 'utf8').digest();
    const b = createHash('sha256').update(session.csrfToken, 'utf8').digest();
    return timingSafeEqual(a, b);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, session] of this.sessions) {
      if (session.expiresAt > now) return;
      this.end(key);
    }
  }
}
