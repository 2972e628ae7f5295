import type { Logger } from '@nestjs/common';
import { isRoomStateRequested, loadRoomStateOptions } from './room-state.config';

const TOKEN = 'b'.repeat(40);
const quiet = () => ({ warn: jest.fn() }) as unknown as Logger;

describe('room state configuration', () => {
  it("uses the server's Redis in any topology when ROOM_STATE_REDIS_URL is not set", () => {
    const env = { ROOM_STATE_ENABLED: 'true', ADMIN_API_TOKEN: TOKEN, WEBHOOK_MODE: 'queue' };
    expect(
      loadRoomStateOptions({ ...env, REDIS_SENTINELS: '127.0.0.1:26379,127.0.0.1:26380', REDIS_SENTINEL_MASTER: 'lk' }, quiet()),
    ).toMatchObject({ store: 'redis', redis: { sentinel: { masterName: 'lk' } } });
    expect(loadRoomStateOptions({ ...env, REDIS_CLUSTER_NODES: '127.0.0.1:7000' }, quiet())).toMatchObject({
      store: 'redis',
      redis: { cluster: { nodes: [{ host: '127.0.0.1', port: 7000 }] } },
    });
  });

  it.each([
    [{}, false],
    [{ ROOM_STATE_ENABLED: 'false' }, false],
    [{ ROOM_STATE_ENABLED: 'true' }, true],
  ])('keeps the room state for %j: %s', (env, requested) => {
    expect(isRoomStateRequested(env)).toBe(requested);
  });

  it('in memory by default, every 30 s, with the admin token', () => {
    expect(loadRoomStateOptions({ ROOM_STATE_ENABLED: 'true', ADMIN_API_TOKEN: TOKEN }, quiet())).toEqual({
      adminToken: TOKEN,
      store: 'memory',
      reconcileIntervalMs: 30_000,
    });
  });

  it('on Redis in durable mode, or when asked; the interval and the rest from their variables', () => {
    const env = { ROOM_STATE_ENABLED: 'true', ADMIN_API_TOKEN: TOKEN, REDIS_URL: 'redis://r:6379' };
    expect(loadRoomStateOptions({ ...env, WEBHOOK_MODE: 'queue' }, quiet())).toMatchObject({
      store: 'redis',
      redis: { url: 'redis://r:6379' },
    });
    expect(
      loadRoomStateOptions(
        {
          ...env,
          ROOM_STATE_STORE: 'redis',
          ROOM_STATE_REDIS_URL: 'rediss://other:6380',
          ROOM_STATE_RECONCILE_INTERVAL: '2m',
          ROOM_STATE_KEY_PREFIX: 'rs',
          ROOM_STATE_SSE_MAX_CLIENTS: '7',
        },
        quiet(),
      ),
    ).toEqual({
      adminToken: TOKEN,
      store: 'redis',
      redis: { url: 'rediss://other:6380' },
      reconcileIntervalMs: 120_000,
      keyPrefix: 'rs',
      sseMaxClients: 7,
    });
    expect(loadRoomStateOptions({ ...env, WEBHOOK_MODE: 'queue', ROOM_STATE_STORE: 'memory' }, quiet())).toMatchObject({ store: 'memory' });
  });

  it.each([
    [{ ROOM_STATE_ENABLED: 'true' }, /^ADMIN_API_TOKEN is required/],
    [{ ROOM_STATE_ENABLED: 'yes', ADMIN_API_TOKEN: TOKEN }, /^ROOM_STATE_ENABLED must be one of true, false/],
    [{ ROOM_STATE_ENABLED: 'true', ADMIN_API_TOKEN: TOKEN, ROOM_STATE_STORE: 'redis' }, /^ROOM_STATE_REDIS_URL is required/],
    [{ ROOM_STATE_ENABLED: 'true', ADMIN_API_TOKEN: TOKEN, ROOM_STATE_STORE: 'redis', REDIS_URL: 'http://x' }, /^REDIS_URL is not a redis/],
    [
      { ROOM_STATE_ENABLED: 'true', ADMIN_API_TOKEN: TOKEN, ROOM_STATE_STORE: 'redis', ROOM_STATE_REDIS_URL: 'http://x' },
      /^ROOM_STATE_REDIS_URL is not a redis/,
    ],
    [
      { ROOM_STATE_ENABLED: 'true', ADMIN_API_TOKEN: TOKEN, ROOM_STATE_RECONCILE_INTERVAL: 'soon' },
      /^ROOM_STATE_RECONCILE_INTERVAL must be a duration/,
    ],
  ])('stops the boot for %j, naming the variable', (env, message) => {
    expect(() => loadRoomStateOptions(env, quiet())).toThrow(message);
  });
});
