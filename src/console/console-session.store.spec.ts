import { ConsoleSessionStore } from './console-session.store';
import { ResolvedConsoleOptions } from './resolved-console-options';

const store = (options: { sessionTtlMs?: number; maxSessions?: number } = {}) =>
  new ConsoleSessionStore(new ResolvedConsoleOptions({ adminToken: 'admin', ...options }, false));

describe('ConsoleSessionStore', () => {
  it('finds a session by its opaque id until it expires', () => {
    const sessions = store({ sessionTtlMs: 1000 });
    let now = 0;
    sessions.now = () => now;
    const { id, session } = sessions.create();
    expect(id).toMatch(/^[\w-]{43}$/);
    expect(session.csrfToken).not.toBe(id);
    expect(sessions.find(id)).toBe(session);
    expect(sessions.find(`${id}x`)).toBeUndefined();
    expect(sessions.find(undefined)).toBeUndefined();
    now = 1000;
    expect(sessions.find(id)).toBeUndefined();
  });

  it('signs out, ending the streams of that session', () => {
    const sessions = store();
    const ended: unknown[] = [];
    sessions.ended.subscribe((s) => ended.push(s));
    const { id, session } = sessions.create();
    sessions.delete(id);
    expect(sessions.find(id)).toBeUndefined();
    expect(ended).toEqual([session]);
  });

  it('holds at most maxSessions, ending the oldest', () => {
    const sessions = store({ maxSessions: 2 });
    const [a, b, c] = [sessions.create(), sessions.create(), sessions.create()];
    expect([sessions.find(a.id), sessions.find(b.id), sessions.find(c.id)]).toEqual([undefined, b.session, c.session]);
  });

  it('compares the CSRF token in full', () => {
    const { session } = store().create();
    expect(ConsoleSessionStore.csrfMatches(session, session.csrfToken)).toBe(true);
    expect(ConsoleSessionStore.csrfMatches(session, session.csrfToken.slice(0, -1))).toBe(false);
    expect(ConsoleSessionStore.csrfMatches(session, undefined)).toBe(false);
  });
});
