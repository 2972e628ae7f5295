import { Logger } from '@nestjs/common';
import { WebhookEvent } from 'livekit-server-sdk';
import { liveKitWebhookEvent } from '../testing';
import type { LiveKitRoomChange } from './interfaces/livekit-room-state.interface';
import { LiveKitRoomStateService } from './livekit-room-state.service';
import { MemoryRoomStateStore } from './memory-room-state.store';

const joined = (room: string, identity: string) =>
  WebhookEvent.fromJson(
    liveKitWebhookEvent('participant_joined', {
      room: { sid: `RM_${room}`, name: room },
      participant: { sid: `PA_${identity}`, identity, state: 'ACTIVE', joinedAtMs: String(Date.now()) },
    }) as never,
  );

describe('LiveKitRoomStateService', () => {
  let store: MemoryRoomStateStore;
  let service: LiveKitRoomStateService;

  beforeEach(() => {
    store = new MemoryRoomStateStore(60_000);
    service = new LiveKitRoomStateService(store);
  });
  afterEach(() => service.onApplicationShutdown());

  it('reads rooms, participants and tracks from what it applied', async () => {
    await service.apply(joined('b-room', 'bob'));
    await service.apply(joined('a-room', 'alice'));
    expect((await service.rooms()).map((r) => r.name)).toEqual(['a-room', 'b-room']);
    expect((await service.participants('a-room')).map((p) => p.identity)).toEqual(['alice']);
    expect(await service.tracks('a-room', 'alice')).toEqual([]);
    expect(await service.room('none')).toBeUndefined();
    expect(await service.participants('none')).toEqual([]);
  });

  it('runs handlers of the matching types; one that throws or rejects is logged and the others still run', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const seen: string[] = [];
    service.addLocalHandler('Bad.sync', [], () => {
      throw new Error('sync boom');
    });
    service.addLocalHandler('Bad.async', [], () => Promise.reject(new Error('async boom')));
    service.addLocalHandler('Good.joins', ['participant_joined'], (c: LiveKitRoomChange) =>
      seen.push(`${c.type}:${c.participant?.identity}`),
    );
    service.addLocalHandler('Good.rooms', ['room_started'], (c: LiveKitRoomChange) => seen.push(c.type));
    const changes = await service.apply(joined('room', 'alice'));
    expect(changes.map((c) => c.type)).toEqual(['room_started', 'participant_joined']);
    expect(seen).toEqual(['room_started', 'participant_joined:alice']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('Bad.sync failed on room_started of room: sync boom'));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('Bad.async failed on participant_joined of room: async boom'));
    error.mockRestore();
  });

  it('changes$ and subscribe() see every change; handlers only those made here; subscriptions filter by room', async () => {
    const all: string[] = [];
    const one: string[] = [];
    const handled: string[] = [];
    service.changes$.subscribe((c) => all.push(`${c.room}:${c.type}`));
    const stop = service.subscribe((c) => one.push(c.type), { room: 'mine' });
    service.addLocalHandler('H.all', [], (c: LiveKitRoomChange) => handled.push(c.room));
    await service.apply(joined('mine', 'alice'));
    await service.apply(joined('other', 'bob'));
    // a change another instance made, as the Redis store hands it over
    const remote = { ...(await service.apply(joined('remote', 'carol')))[0]!, room: 'remote-2' };
    (store as unknown as { listeners: Set<(c: LiveKitRoomChange[], local: boolean) => void> }).listeners.forEach((l) => l([remote], false));
    expect(all).toContain('remote-2:room_started');
    expect(handled).not.toContain('remote-2');
    expect(one).toEqual(['room_started', 'participant_joined']);
    stop();
    await service.apply(joined('mine', 'dave'));
    expect(one).toHaveLength(2);
  });
});
