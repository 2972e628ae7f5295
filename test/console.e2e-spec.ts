import { type Room, RoomEvent } from '@livekit/rtc-node';
import { Injectable, type INestApplication } from '@nestjs/common';
import { RoomServiceClient } from 'livekit-server-sdk';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LiveKitModule, LiveKitTokenModule, LiveKitWebhookListener, LiveKitWebhookModule, OnLiveKitEvent, type WebhookEvent } from '../src';
import { LiveKitConsoleModule } from '../src/console';
import { LiveKitMetricsModule } from '../src/metrics';
import { LiveKitWebhookDeadLetters, LiveKitWebhookQueueModule } from '../src/queue';
import { LiveKitRoomStateModule } from '../src/room-state';
import { liveKitWebhookEvent, postLiveKitWebhook } from '../src/testing';
import { launchChromium } from './support/chromium';
import { createApp } from './support/create-app';
import { freeTcpPort } from './support/free-port';
import { type LiveKitServer, startLiveKitServer } from './support/livekit-server';
import { auditPage } from './support/page-audit';
import { PrivateRedis } from './support/queue-cluster';
import { disposeRtc, joinRoom, leave, publishAudioTrack } from './support/rtc-participant';
import { eventually } from './support/eventually';

/**
 * The operator console in real Chromium (Debian's package, through playwright-core), against the real
 * LiveKit Server, real rtc-node participants and durable mode on a private redis-server. Each page's
 * screenshot is written to docs/console/ (the README shows them).
 */

const API_KEY = 'console-e2e-key';
const API_SECRET = 'console-e2e-secret-0123456789abcdef0123456789';
const ADMIN_TOKEN = 'console-e2e-admin-token-0123456789abcdef';
const SHOTS = join(__dirname, '..', 'docs', 'console');
const WAIT_MS = 20_000;

/** The host's handlers: one that always works, and one that fails for "doomed" participants until fixed. */
@Injectable()
@LiveKitWebhookListener()
class OperatorHandlers {
  broken = true;
  readonly processed: string[] = [];
  /** `event:room` of every event handled, e.g. `room_finished:console-end`. */
  readonly handled: string[] = [];

  @OnLiveKitEvent('participant_joined', 'participant_left', 'room_started', 'room_finished', 'track_published', 'track_unpublished')
  presence(event: WebhookEvent): void {
    this.processed.push(event.id);
    this.handled.push(`${event.event}:${event.room?.name ?? ''}`);
  }

  @OnLiveKitEvent('participant_left')
  async billing(event: WebhookEvent): Promise<void> {
    await Promise.resolve();
    if (this.broken && event.participant?.identity.startsWith('doomed')) throw new Error('billing service unavailable');
  }
}

/** The shared poll with this suite's bound: a browser, LiveKit Server and a queue worker share the machine. */
const eventuallyWithin = <T>(read: () => T | Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> =>
  eventually(read, ok, what, WAIT_MS);

jest.setTimeout(120_000);

describe('operator console in Chromium', () => {
  let redis: PrivateRedis;
  let livekit: LiveKitServer;
  let app: INestApplication;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let roomService: RoomServiceClient;
  let handlers: OperatorHandlers;
  const joined: Room[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    redis = await PrivateRedis.start();
    const port = await freeTcpPort();
    base = `http://127.0.0.1:${port}`;
    livekit = await startLiveKitServer({ keys: { [API_KEY]: API_SECRET }, webhookUrls: [`${base}/livekit/webhook`] });
    roomService = new RoomServiceClient(livekit.httpUrl, API_KEY, API_SECRET);
    ({ app } = await createApp('express', [
      LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: livekit.url }),
      LiveKitTokenModule.forRoot(),
      LiveKitWebhookModule.forRoot(),
      LiveKitWebhookQueueModule.forRoot({ url: redis.url, attempts: 2, backoffDelayMs: 50 }),
      LiveKitMetricsModule.forRoot({ defaultMetrics: false }),
      // The Rooms page reads the room state when it is registered (the polled RoomService otherwise: below).
      LiveKitRoomStateModule.forRoot(),
      LiveKitConsoleModule.forRoot({ adminToken: ADMIN_TOKEN, metricsSampleIntervalMs: 2000 }),
      { module: class HandlersModule {}, providers: [OperatorHandlers] },
    ]));
    handlers = app.get(OperatorHandlers);
    await app.listen(port, '127.0.0.1');
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    for (const room of joined) await leave(room).catch(() => undefined);
    await disposeRtc().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await app?.close();
    await livekit?.stop();
    await redis?.destroy();
  });

  async function participantToken(room: string, identity: string): Promise<string> {
    const res = await fetch(`${base}/livekit/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ room_name: room, participant_identity: identity }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { participant_token: string }).participant_token;
  }

  async function joinAs(room: string, identity: string): Promise<Room> {
    const joinedRoom = await joinRoom(livekit.url, await participantToken(room, identity));
    joined.push(joinedRoom);
    return joinedRoom;
  }

  /** Saves the page's screenshot, after checking its labels and contrast as it is. */
  async function shot(name: string): Promise<void> {
    expect([name, await auditPage(page)]).toEqual([name, []]);
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
  }
  const note = (text: string | RegExp) => page.locator('#status .note', { hasText: text }).first().waitFor({ timeout: WAIT_MS });

  it('refuses a wrong admin token, signs in with the right one, and refuses actions without the session or its CSRF token', async () => {
    await page.goto(`${base}/console`);
    await page.getByLabel('Admin token').waitFor();
    await shot('sign-in');
    await page.getByLabel('Admin token').fill('not-the-admin-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong admin token' }).waitFor();
    expect(await page.locator('#nav').isHidden()).toBe(true);

    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Console pages' }).waitFor();
    await page.getByRole('heading', { name: 'Rooms' }).waitFor();
    // The session lives in an HttpOnly cookie only: not readable by scripts, nothing in storage or the URL.
    expect(await page.evaluate('[document.cookie, localStorage.length, sessionStorage.length, location.search]')).toEqual(['', 0, 0, '']);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'livekit_console_session', httpOnly: true, sameSite: 'Strict', path: '/console' });

    // From the signed-in page but without the CSRF header: refused; no cookie at all: refused.
    const withoutCsrf = await page.evaluate(() => fetch('api/rooms/any-room', { method: 'DELETE' }).then((r) => r.status));
    expect(withoutCsrf).toBe(403);
    const stranger = await browser.newContext();
    try {
      const other = await stranger.newPage();
      await other.goto(`${base}/console`);
      const anonymous = await other.evaluate(() =>
        Promise.all([fetch('api/rooms').then((r) => r.status), fetch('api/rooms/any-room', { method: 'DELETE' }).then((r) => r.status)]),
      );
      expect(anonymous).toEqual([401, 401]);
      // A page of another site (localhost is not 127.0.0.1) gets no cookie sent along: SameSite=Strict.
      await other.goto(`${base.replace('127.0.0.1', 'localhost')}/console`);
      const crossSite = await other.evaluate(
        (target) =>
          fetch(`${target}/console/api/rooms`, { credentials: 'include' }).then(
            (r) => r.status,
            () => 'blocked',
          ),
        base,
      );
      expect(crossSite === 401 || crossSite === 'blocked').toBe(true);
    } finally {
      await stranger.close();
    }
  });

  it('shows a real participant live, mutes its track and removes it through the room service', async () => {
    await page.goto(`${base}/console#rooms`);
    const alice = await joinAs('console-room', 'alice');
    const seen = { data: [] as string[], disconnected: false };
    alice.on(RoomEvent.DataReceived, (payload) => seen.data.push(Buffer.from(payload).toString('utf8')));
    alice.on(RoomEvent.Disconnected, () => (seen.disconnected = true));
    const trackSid = await publishAudioTrack(alice);

    // Appears without a reload, with its track live, from the room state.
    await page.getByText('Live from the room state.').waitFor();
    const row = page.locator('[data-room="console-room"] tr[data-identity="alice"]');
    await row.locator(`[data-track="${trackSid}"]`, { hasText: 'live' }).waitFor({ timeout: WAIT_MS });
    await row.getByText('publishing', { exact: true }).waitFor();
    await shot('rooms');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('rooms-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: `Mute microphone (audio) of alice` }).click();
    await note('Muted microphone (audio) of alice');
    const muted = await eventuallyWithin(
      () => roomService.getParticipant('console-room', 'alice'),
      (p) => p.tracks.find((t) => t.sid === trackSid)?.muted === true,
      'the track muted on the server',
    );
    expect(muted.tracks.find((t) => t.sid === trackSid)?.muted).toBe(true);
    await row.locator(`[data-track="${trackSid}"]`, { hasText: 'muted' }).waitFor({ timeout: WAIT_MS });

    await page.getByLabel('Data message to everyone in console-room').fill('hello from the console');
    await page.getByLabel('Data message to everyone in console-room').press('Enter');
    await note('Sent 22 bytes to console-room');
    await eventuallyWithin(
      () => seen.data,
      (data) => data.includes('hello from the console'),
      'the data message at alice',
    );

    await page.getByRole('button', { name: 'Remove alice from console-room' }).click();
    await note('Removed alice');
    await eventuallyWithin(
      () => seen.disconnected,
      (gone) => gone,
      'alice disconnected',
    );
    await eventuallyWithin(
      () => roomService.listParticipants('console-room').catch(() => []),
      (list) => !list.some((p) => p.identity === 'alice'),
      'alice gone from the server',
    );
    await row.waitFor({ state: 'detached', timeout: WAIT_MS });
  });

  it('ends a room for everyone', async () => {
    const bob = await joinAs('console-end', 'bob');
    let disconnected = false;
    bob.on(RoomEvent.Disconnected, () => (disconnected = true));
    await page.locator('[data-room="console-end"] tr[data-identity="bob"]').waitFor({ timeout: WAIT_MS });
    await page.getByRole('button', { name: 'End room console-end' }).click();
    await note('Ended console-end');
    await eventuallyWithin(
      () => disconnected,
      (gone) => gone,
      'bob disconnected by the end of the room',
    );
    await eventuallyWithin(
      () => roomService.listRooms(['console-end']),
      (rooms) => rooms.length === 0,
      'the room closed on the server',
    );
    await eventuallyWithin(
      () => handlers.handled,
      (handled) => handled.includes('room_finished:console-end'),
      "LiveKit Server's room_finished of console-end handled",
    );
  });

  it('lists a forged webhook as refused with its reason, a valid one as processed with its handlers, and round-trips a test event', async () => {
    await page.goto(`${base}/console#webhooks`);
    await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
    const forged = liveKitWebhookEvent('participant_joined', { participant: { identity: 'mallory' } });
    const refused = await postLiveKitWebhook(app, forged, {
      apiKey: API_KEY,
      apiSecret: 'a-secret-that-is-not-ours-0123456789abcdef',
      path: '/livekit/webhook',
    });
    expect(refused.status).toBe(401);
    await page.locator('#deliveries tr[data-outcome="refused"]', { hasText: 'invalid_signature' }).first().waitFor({ timeout: WAIT_MS });

    const valid = liveKitWebhookEvent('participant_joined', { participant: { identity: 'carol' } });
    expect((await postLiveKitWebhook(app, valid, { apiKey: API_KEY, apiSecret: API_SECRET, path: '/livekit/webhook' })).status).toBe(200);
    const validRow = page.locator(`#deliveries tr[data-id="${valid.id}"]`);
    await validRow.and(page.locator('[data-outcome="processed"]')).waitFor({ timeout: WAIT_MS });
    await validRow.locator('[data-handler="OperatorHandlers.presence"]', { hasText: 'ok' }).waitFor();

    // LiveKit Server's own webhooks of the previous tests are there too: queued (durable mode), then processed by a worker.
    await page.locator('#deliveries tr[data-outcome="processed"]', { hasText: 'console-room' }).first().waitFor({ timeout: WAIT_MS });
    const roomFinished = page.locator('#deliveries tr', { hasText: 'room_finished' }).filter({ hasText: 'console-end' });
    await roomFinished.and(page.locator('[data-outcome="processed"]')).waitFor({ timeout: WAIT_MS });
    await roomFinished.locator('[data-handler="OperatorHandlers.presence"]', { hasText: 'ok' }).waitFor();

    await page.getByLabel('Test event').selectOption('room_started');
    await page.getByRole('button', { name: 'Send test event' }).click();
    const result = page.locator('#test-result', { hasText: 'answered HTTP 200' });
    await result.waitFor({ timeout: WAIT_MS });
    const testId = /Test event (\S+) posted/.exec((await result.textContent()) ?? '')?.[1];
    expect(testId).toMatch(/^EV_/);
    await page.locator(`#deliveries tr[data-id="${testId}"][data-outcome="processed"]`, { hasText: 'test' }).waitFor({ timeout: WAIT_MS });
    expect(handlers.processed).toContain(testId);
    await shot('webhooks');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('webhooks-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByLabel('Outcome').selectOption('refused');
    expect(await page.locator('#deliveries tbody tr[data-outcome="refused"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#deliveries tbody tr:not([data-outcome="refused"])').count()).toBe(0);
    await page.getByLabel('Outcome').selectOption('');
  });

  it("shows a failing handler's event as a dead letter, and replaying it from the console processes it", async () => {
    const deadLetters = app.get(LiveKitWebhookDeadLetters);
    const doomed = liveKitWebhookEvent('participant_left', { participant: { identity: 'doomed-dave' } });
    const discarded = liveKitWebhookEvent('participant_left', { participant: { identity: 'doomed-erin' } });
    for (const event of [doomed, discarded]) {
      expect((await postLiveKitWebhook(app, event, { apiKey: API_KEY, apiSecret: API_SECRET, path: '/livekit/webhook' })).status).toBe(200);
    }
    await eventuallyWithin(
      () => deadLetters.count(),
      (n) => n >= 2,
      'two dead letters',
    );

    await page.goto(`${base}/console#durable`);
    const row = page.locator(`#dead-letters tr[data-event-id="${doomed.id}"]`);
    await row.getByText('billing service unavailable').waitFor({ timeout: WAIT_MS });
    await shot('durable');

    handlers.broken = false; // the billing service is back
    await page.getByRole('button', { name: `Replay ${doomed.id}` }).click();
    await note(`Replayed ${doomed.id}`);
    await row.waitFor({ state: 'detached', timeout: WAIT_MS });
    await eventuallyWithin(
      () => deadLetters.get(doomed.id!),
      (letter) => letter === undefined,
      'the replayed event no longer a dead letter',
    );
    expect(handlers.processed).toContain(doomed.id);

    await page.getByRole('button', { name: `Discard ${discarded.id}` }).click();
    await note(`Discarded ${discarded.id}`);
    await page.locator(`#dead-letters tr[data-event-id="${discarded.id}"]`).waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await deadLetters.get(discarded.id!)).toBeUndefined();

    // The delivery that brought the replayed event shows it processed now, with the handler that failed before.
    await page.goto(`${base}/console#webhooks`);
    const delivery = page.locator(`#deliveries tr[data-id="${doomed.id}"][data-outcome="processed"]`);
    await delivery.locator('[data-handler="OperatorHandlers.billing"]', { hasText: 'ok' }).first().waitFor({ timeout: WAIT_MS });
  });

  it('shows token issuance and refusals by reason', async () => {
    for (let i = 0; i < 3; i++) await participantToken('console-tokens', `viewer-${i}`);
    const bad = await fetch(`${base}/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"roomName":42}' });
    expect(bad.status).toBe(400);
    await page.goto(`${base}/console#tokens`);
    await page.locator('#refusal-reasons li[data-reason="invalid_request"]', { hasText: '1' }).waitFor({ timeout: WAIT_MS });
    const issued = Number(await page.locator('#tokens-issued').textContent());
    expect(issued).toBeGreaterThanOrEqual(5); // alice, bob and the three viewers
    await shot('tokens');
  });

  it('without the room state, reads the rooms from RoomService, polled, and still mutes through it', async () => {
    const { app: polled } = await createApp('fastify', [
      LiveKitModule.forRoot({ apiKey: API_KEY, apiSecret: API_SECRET, url: livekit.url }),
      LiveKitWebhookModule.forRoot(),
      LiveKitConsoleModule.forRoot({ adminToken: ADMIN_TOKEN, roomsPollIntervalMs: 300 }),
    ]);
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      await polled.listen(0, '127.0.0.1');
      const url = await polled.getUrl();
      const frank = await joinAs('console-poll', 'frank');
      const trackSid = await publishAudioTrack(frank);
      const tab = await other.newPage();
      await tab.goto(`${url.replace('[::1]', '127.0.0.1')}/console#rooms`);
      await tab.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByText('Read from livekit-server every few seconds.').waitFor();
      const track = tab.locator(`[data-room="console-poll"] tr[data-identity="frank"] [data-track="${trackSid}"]`);
      await track.filter({ hasText: 'live' }).waitFor({ timeout: WAIT_MS });
      await tab.getByRole('button', { name: 'Mute microphone (audio) of frank' }).click();
      await track.filter({ hasText: 'muted' }).waitFor({ timeout: WAIT_MS });
      const server = await roomService.getParticipant('console-poll', 'frank');
      expect(server.tracks.find((t) => t.sid === trackSid)?.muted).toBe(true);
      await leave(frank);
    } finally {
      await other.close();
      await polled.close();
    }
  });

  it('is reachable by keyboard: skip link, the pages, and the actions; a live update keeps focus and typing', async () => {
    const gina = await joinAs('console-keys', 'gina');
    await page.goto(`${base}/console#rooms`);
    await page.reload();
    await page.locator('[data-room="console-keys"] tr[data-identity="gina"]').waitFor({ timeout: WAIT_MS });
    const reached: string[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        String(await page.evaluate("document.activeElement === document.body ? '' : document.activeElement.textContent.trim()")),
      );
    }
    expect(reached).toEqual(expect.arrayContaining(['Skip to content', 'Rooms', 'Webhooks', 'Durable', 'Tokens', 'Sign out']));
    // Typing a data message while the room changes (a second participant joins): the text and the focus stay.
    const input = page.getByLabel('Data message to everyone in console-keys');
    await input.focus();
    await page.keyboard.type('half a mess');
    await joinAs('console-keys', 'hank');
    await page.locator('[data-room="console-keys"] tr[data-identity="hank"]').waitFor({ timeout: WAIT_MS });
    await page.keyboard.type('age');
    expect(await input.inputValue()).toBe('half a message');
    await page.keyboard.press('Enter');
    await note('Sent 14 bytes to console-keys');
    await leave(gina);
    await page.getByRole('link', { name: 'Webhooks' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
    await page.getByRole('button', { name: 'Send test event' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#test-result', { hasText: 'answered HTTP 200' }).waitFor({ timeout: WAIT_MS });
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    const after = await page.evaluate(() => fetch('api/session').then((r) => r.status));
    expect(after).toBe(401);
  });
});
