import { InternalServerErrorException } from '@nestjs/common';
import { WebhookEvent } from 'livekit-server-sdk';
import type { VerifiedWebhookDelivery } from '../webhook/interfaces/verified-delivery.interface';
import { LiveKitEventHandlerRegistry } from '../webhook/webhook-handler.registry';
import { LiveKitConsoleDeliveryLog } from './console-delivery.log';
import type { LiveKitConsoleDelivery } from './interfaces/console-delivery.interface';
import { ResolvedConsoleOptions } from './resolved-console-options';

function delivery(id: string, type = 'participant_joined'): VerifiedWebhookDelivery {
  const event = WebhookEvent.fromJson({ id, event: type, room: { name: 'demo' }, participant: { identity: 'alice' } });
  return { event, dedupeKey: id, apiKey: 'key', rawBody: Buffer.from('{}') };
}

function makeLog(size = 3) {
  const registry = new LiveKitEventHandlerRegistry();
  registry.add({ id: 'A.first', events: ['participant_joined'], handle: () => undefined });
  registry.add({ id: 'A.second', events: ['participant_joined'], handle: () => undefined });
  const log = new LiveKitConsoleDeliveryLog(new ResolvedConsoleOptions({ adminToken: 'admin', deliveryLogSize: size }, false), registry);
  const changes: LiveKitConsoleDelivery[] = [];
  log.changes.subscribe((d) => changes.push({ ...d, handlers: [...d.handlers] }));
  return { log, changes };
}

describe('LiveKitConsoleDeliveryLog', () => {
  it('keeps the newest deliveries, newest first, within its size', () => {
    const { log } = makeLog(3);
    for (const id of ['EV_1', 'EV_2', 'EV_3', 'EV_4']) log.received(delivery(id));
    expect(log.list().map((d) => d.id)).toEqual(['EV_4', 'EV_3', 'EV_2']);
    // An evicted delivery is forgotten: a late handler run of it changes nothing.
    log.handlerSettled('A.first', delivery('EV_1').event, 0.001, false);
    expect(log.list().every((d) => d.handlers.length === 0)).toBe(true);
  });

  it('gives every change a higher revision than any change before it, across deliveries', () => {
    const { log, changes } = makeLog();
    const first = delivery('EV_1');
    const second = delivery('EV_2');
    log.received(first);
    log.received(second);
    log.handlerSettled('A.first', first.event, 0.001, false);
    log.answered(second, 'processed');
    log.answered(first, 'processed');
    const revisions = changes.map((c) => c.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(revisions.length);
    // The list carries each delivery's latest revision: a live update older than it is recognisable as older.
    const listed = log.list().find((d) => d.id === 'EV_1');
    expect(listed?.revision).toBe(changes.at(-1)?.revision);
    expect(changes.find((c) => c.id === 'EV_1' && c.outcome === 'running')!.revision).toBeLessThan(listed!.revision);
  });

  it('records a refusal with its reason and status, and nothing secret', () => {
    const { log } = makeLog();
    log.refused({ status: 401, reason: 'invalid_signature', keyId: 'key' });
    expect(log.list()[0]).toMatchObject({ verification: 'refused', outcome: 'refused', status: 401, reason: 'invalid_signature' });
    expect(JSON.stringify(log.list()[0])).not.toContain('keyId');
  });

  it('follows an inline delivery: handlers with their durations, then the answer', () => {
    const { log, changes } = makeLog();
    const d = delivery('EV_1');
    log.received(d);
    log.handlerSettled('A.first', d.event, 0.0123, false);
    log.handlerSettled('A.second', d.event, 0.5, true, new Error('db down\nsecond line'));
    log.answered(d, undefined, new InternalServerErrorException('webhook handler failed; LiveKit will retry'));
    expect(log.list()[0]).toMatchObject({
      outcome: 'failed',
      status: 500,
      handlers: [
        { handler: 'A.first', ok: true, ms: 12.3 },
        { handler: 'A.second', ok: false, ms: 500, error: 'db down?second line' },
      ],
    });
    expect(changes.map((c) => c.outcome)).toEqual(['running', 'running', 'running', 'failed']);
    log.received(d);
    log.answered(d, 'duplicate');
    expect(log.list()[0]).toMatchObject({ outcome: 'duplicate', duplicate: true, status: 200 });
  });

  it("turns a queued delivery processed once every handler's latest run succeeded, failed while one failed", () => {
    const { log } = makeLog();
    const d = delivery('EV_1');
    log.received(d);
    log.answered(d, 'queued');
    log.handlerSettled('A.first', d.event, 0.001, false);
    expect(log.list()[0]!.outcome).toBe('queued');
    log.handlerSettled('A.second', d.event, 0.001, true, new Error('no'));
    expect(log.list()[0]!.outcome).toBe('failed');
    log.handlerSettled('A.second', d.event, 0.001, false); // the replay
    expect(log.list()[0]!.outcome).toBe('processed');
  });

  it('marks the console test events', () => {
    const { log } = makeLog();
    log.expectTest('EV_test');
    log.received(delivery('EV_test'));
    log.received(delivery('EV_other'));
    expect(log.list().map((d) => [d.id, d.test])).toEqual([
      ['EV_other', false],
      ['EV_test', true],
    ]);
  });
});
