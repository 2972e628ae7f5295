import { TokenVerifier } from 'livekit-server-sdk';
import { freeTcpPort, type ServerProcess, spawnStandalone, waitFor, waitUntilListening } from './support/spawn-server';
import { ADAPTERS } from './support/standalone-app';
import { signWebhook, webhookBody } from './support/webhook-signer';

jest.setTimeout(60_000);

// Recognisable values: none of them may ever appear in the process output.
const KEY = 'log-key';
const SECRET = 'LOGSECRET-5f3a9c-0123456789abcdef0123456789';
const ADMIN_TOKEN = 'ADMINTOKEN-7b1e4d-0123456789abcdef0123456789';
const HOST_CREDENTIAL = 'HOSTCREDENTIAL-2c8f6a';
const QUERY_TOKEN = 'QUERYTOKEN-9d0b7e';

describe.each(ADAPTERS)('logs of the standalone server process on %s', (adapter) => {
  let server: ServerProcess;
  const leaks: string[] = [SECRET, ADMIN_TOKEN, HOST_CREDENTIAL, QUERY_TOKEN];

  beforeAll(async () => {
    server = await spawnStandalone({
      HTTP_ADAPTER: adapter,
      LIVEKIT_API_KEY: KEY,
      LIVEKIT_API_SECRET: SECRET,
      // Nothing listens there: readiness and the admin endpoints fail, and log it.
      LIVEKIT_URL: `ws://127.0.0.1:${await freeTcpPort()}`,
      LOG_LEVEL: 'trace',
      ADMIN_API_ENABLED: 'true',
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      TOKEN_RATE_LIMIT: '1000',
    });
    await waitUntilListening(server);
  });
  afterAll(() => server.stop());

  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  const lines = () =>
    server
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');

  it('writes only JSON lines with a level, a time and a message', () => {
    expect(lines().length).toBeGreaterThan(5);
    for (const line of lines()) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed).toEqual(expect.objectContaining({ level: expect.any(Number), time: expect.any(String), msg: expect.any(String) }));
    }
  });

  it('honours an incoming X-Request-Id, generates one otherwise, and logs the request with it', async () => {
    const given = await fetch(url('/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'trace-abc-123' },
      body: JSON.stringify({ roomName: 'r', participantName: 'p' }),
    });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
    const generated = await fetch(url('/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'not an id {"level":60}' },
      body: JSON.stringify({ roomName: 'r', participantName: 'p' }),
    });
    const id = generated.headers.get('x-request-id') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const reqId of ['trace-abc-123', id]) {
      await waitFor(() => server.output().includes(`"reqId":"${reqId}"`), 5000, `the log line of ${reqId}`);
      const line: unknown = JSON.parse(lines().find((l) => l.includes(`"reqId":"${reqId}"`)) ?? '{}');
      expect(line).toMatchObject({ msg: 'request completed', req: { id: reqId, method: 'POST', url: '/token' }, res: { statusCode: 200 } });
    }
  });

  it('never writes a token, a secret or an Authorization value', async () => {
    const seen: string[] = [];
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(url(path), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const openvidu = await post(
      '/token',
      { roomName: 'secret-room', participantName: 'alice' },
      { Authorization: `Bearer ${HOST_CREDENTIAL}` },
    );
    expect(openvidu.status).toBe(200);
    const standard = await post('/livekit/token', { room_name: 'r', participant_metadata: '{"token":"in-metadata"}' });
    expect(standard.status).toBe(201);
    seen.push(openvidu.body.token ?? '', standard.body.participant_token ?? '');
    await expect(new TokenVerifier(KEY, SECRET).verify(openvidu.body.token ?? '')).resolves.toMatchObject({ sub: 'alice' });

    const signed = await signWebhook(KEY, SECRET, webhookBody('participant_joined'));
    const forged = await signWebhook(KEY, 'forged-secret-0123456789abcdef0123456789', webhookBody('room_started'));
    for (const [webhook, status] of [
      [signed, 200],
      [forged, 401],
    ] as const) {
      const res = await fetch(url('/webhook'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/webhook+json', Authorization: webhook.authorization },
        body: webhook.body,
      });
      expect(res.status).toBe(status);
      seen.push(webhook.authorization);
    }

    expect((await fetch(url('/livekit/rooms'), { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(503);
    expect((await fetch(url('/livekit/rooms'), { headers: { Authorization: 'Bearer wrong-admin-token' } })).status).toBe(401);
    expect((await fetch(url(`/nowhere?access_token=${QUERY_TOKEN}&room=r`))).status).toBe(404);
    expect((await fetch(url('/health/ready'))).status).toBe(503);

    await waitFor(() => server.output().includes('access_token=[Redacted]'), 5000, 'the last request line');
    await waitFor(() => server.output().includes(signed.id), 5000, 'the event log line');
    const output = server.output();
    for (const value of [...leaks, ...seen, 'wrong-admin-token']) {
      expect([value.slice(0, 24), output.includes(value)]).toEqual([value.slice(0, 24), false]);
    }
    // No JWT at all: every JWT starts with the base64url of '{"'.
    expect(output).not.toContain('eyJ');
    // Request lines name method, URL, client and status; headers (and their credentials) are never written.
    expect(lines().filter((line) => line.includes('"request completed"')).length).toBeGreaterThan(5);
    expect(output).not.toContain('"headers"');
  });

  it('documents the admin endpoints when they are enabled (the OpenAPI document takes every module)', async () => {
    const doc = (await (await fetch(url('/docs-json'))).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/token', '/livekit/token']));
    expect(Object.keys(doc.paths).some((path) => path.startsWith('/livekit/rooms'))).toBe(true);
  });

  it('logs a 12 KB hostile query string and answers the next request at once (the URL redaction is linear)', async () => {
    // A backtracking redaction pattern spent seconds on this URL after answering it, with the event loop blocked.
    const hostile = `/nowhere?${'?token'.repeat(2000)}`;
    expect((await fetch(url(hostile))).status).toBe(404);
    const started = Date.now();
    expect((await fetch(url('/token'), { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    expect(Date.now() - started).toBeLessThan(500);
    await waitFor(() => server.output().includes(`"url":"${hostile}"`), 5000, 'the line of the hostile request');
  });

  it('keeps the secrets out of the shutdown logs too', async () => {
    await server.stop();
    for (const value of leaks) expect(server.output().includes(value)).toBe(false);
  });
});
