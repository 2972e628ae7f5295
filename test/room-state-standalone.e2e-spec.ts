import request from 'supertest';
import type { HttpAdapterName } from '../src/server/config/server.config';
import { liveKitWebhookEvent, postLiveKitWebhook } from '../src/testing';
import { useEnv } from './support/env';
type StandaloneSupport = typeof import('./support/standalone-app');

const ADMIN = 'standalone-state-admin-token-0123456789abcdef';
// The standalone server decides its modules when app.module is first loaded: the settings come first.
const ROOM_STATE_ENV = { ROOM_STATE_ENABLED: 'true', ADMIN_API_TOKEN: ADMIN, ROOM_STATE_RECONCILE_INTERVAL: '1h' };

let support: StandaloneSupport;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = useEnv(ROOM_STATE_ENV);
  support = await import('./support/standalone-app');
});
afterAll(() => restoreEnv());

describe.each<HttpAdapterName>(['express', 'fastify'])('the standalone server with ROOM_STATE_ENABLED on %s', (adapter) => {
  it('serves the room state behind ADMIN_API_TOKEN, fed by its own webhook route', async () => {
    const standalone = await support.startStandalone(adapter, ROOM_STATE_ENV);
    try {
      const server = standalone.app.getHttpServer();
      expect((await request(server).get('/rooms-state')).status).toBe(401);
      const event = liveKitWebhookEvent('participant_joined', { room: { sid: 'RM_std', name: 'standalone-room' } });
      const posted = await postLiveKitWebhook(standalone.app, event, { apiKey: support.TEST_API_KEY, apiSecret: support.TEST_API_SECRET });
      expect(posted.status).toBe(200);
      const res = await request(server).get('/rooms-state/standalone-room').set('Authorization', `Bearer ${ADMIN}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'standalone-room',
        sid: 'RM_std',
        participants: [expect.objectContaining({ identity: 'alice' })],
      });
    } finally {
      await standalone.close();
    }
  });
});
