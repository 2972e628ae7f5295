import { TokenVerifier } from 'livekit-server-sdk';
import { type ServerProcess, spawnStandalone, waitFor, waitUntilListening } from './support/spawn-server';
import { signWebhook, webhookBody } from './support/webhook-signer';

const KEY = 'proc-key';
const SECRET = 'proc-secret-0123456789abcdef0123456789abcdef';

describe.each(['express', 'fastify'])('the standalone server process on %s', (adapter) => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await spawnStandalone({
      LIVEKIT_API_KEY: KEY,
      LIVEKIT_API_SECRET: SECRET,
      HTTP_ADAPTER: adapter,
      LIVEKIT_URL: 'wss://lk.test',
    });
    await waitUntilListening(server);
  }, 30_000);
  afterAll(() => server.stop());

  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  it('serves the OpenVidu contract as a tutorial client calls it', async () => {
    const res = await fetch(url('/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ roomName: 'demo', participantName: 'Participant42' }),
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const claims = await new TokenVerifier(KEY, SECRET).verify(token);
    expect(claims).toMatchObject({ sub: 'Participant42', video: { room: 'demo', roomJoin: true } });
  });

  it('serves the standard endpoint with the configured server URL', async () => {
    const res = await fetch(url('/livekit/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ room_name: 'demo' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ server_url: 'wss://lk.test', participant_token: expect.any(String) });
  });

  it('answers malformed JSON with 400 {errorMessage}', async () => {
    const res = await fetch(url('/token'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"roomName":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessage: expect.any(String) });
  });

  it('verifies a webhook and logs the event in one structured line', async () => {
    const event = webhookBody('participant_joined', { room: { name: 'logged-room' } });
    const signed = await signWebhook(KEY, SECRET, event);
    const res = await fetch(url('/webhook'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/webhook+json', Authorization: signed.authorization },
      body: signed.body,
    });
    expect(res.status).toBe(200);
    await waitFor(() => server.output().includes(signed.id), 5000, 'the event log line');
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes(signed.id));
    const parsed = JSON.parse(line ?? '') as Record<string, unknown>;
    expect(JSON.stringify(parsed)).toContain('"participant_joined"');
    expect(JSON.stringify(parsed)).toContain('logged-room');
    expect(server.output()).not.toContain(signed.authorization);
  });

  it('answers 401 to a forged webhook', async () => {
    const signed = await signWebhook(KEY, 'forged-secret-0123456789abcdef0123456789', webhookBody('room_started'));
    const res = await fetch(url('/webhook'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/webhook+json', Authorization: signed.authorization },
      body: signed.body,
    });
    expect(res.status).toBe(401);
  });
});

describe('boot in production', () => {
  it.each([
    [{}, 'LIVEKIT_API_KEY is required'],
    [{ LIVEKIT_API_KEY: 'k' }, 'LIVEKIT_API_SECRET is required'],
    [{ LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 'secret' }, 'LIVEKIT_API_SECRET holds a secret shorter than 32'],
    [{ HTTP_ADAPTER: 'koa', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: SECRET }, 'HTTP_ADAPTER must be one of'],
  ])(
    'stops with a message naming the variable for %j',
    async (env, message) => {
      const server = await spawnStandalone({ NODE_ENV: 'production', ...env });
      try {
        const code = await Promise.race([server.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
        expect(code).toBe(1);
        expect(server.output()).toContain(message);
        expect(server.output()).not.toContain('"secret"');
      } finally {
        await server.stop();
      }
    },
    30_000,
  );
});
