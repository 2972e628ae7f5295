import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { firstConnection, type LiveKitRedisClient, type ResolvedRedisConnection } from '../common/redis-connection';
import { reconnectDelay } from '../queue/redis-reconnect';
import type { LiveKitRoomChange } from './interfaces/livekit-room-state.interface';
import type { RoomRecord } from './room-state.record';
import { type RoomRecordMutation, RoomStateStore } from './room-state.store';

/**
 * Compare-and-set of one room record: written only when its version is still the one read, so that two
 * instances mutating a room at once never lose each other's update (the loser reads again and retries).
 * KEYS: the room's hash. ARGV: version read ('' when absent), new JSON, ms to keep it (0: for ever).
 * Returns the new version, or 0 on a conflict.
 */
const COMPARE_AND_SET_SCRIPT = `
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '') ~= ARGV[1] then return 0 end
local nv = (tonumber(v) or 0) + 1
redis.call('HSET', KEYS[1], 'v', nv, 's', ARGV[2])
if ARGV[3] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
return nv
`;

interface WithCompareAndSet {
  livekitRoomStateCas(key: string, version: string, json: string, ttlMs: string): Promise<number>;
}

/** Longest wait at boot for the first connection. */
const READY_WAIT_MS = 2_000;

/** Conflicts in a row before a mutation gives up (each retry reads the winner's record). */
const MAX_ATTEMPTS = 50;

interface ChangeMessage {
  origin: string;
  changes: LiveKitRoomChange[];
}

export interface RedisRoomStateStoreOptions {
  connection: ResolvedRedisConnection;
  keyPrefix: string;
  /** How long a finished room's record is kept (ms). */
  finishedRetentionMs: number;
}

/**
 * The projection in Redis, shared by every instance: one hash per room (`<prefix>:{room:<name>}`, a hash tag
 * so that it works on Redis Cluster), updated by compare-and-set; an index set of room names; and the
 * changes of every instance on the `<prefix>:changes` channel.
 */
export class RedisRoomStateStore extends RoomStateStore {
  private readonly logger = new Logger('LiveKitRoomState');
  private readonly redis: LiveKitRedisClient & WithCompareAndSet;
  private readonly subscriber: LiveKitRedisClient;
  private readonly origin = randomUUID();
  private readonly listeners = new Set<(changes: LiveKitRoomChange[], local: boolean) => void>();
  /** Mutations of one room in this process run one after the other, so that they do not conflict with each other. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly indexKey: string;
  private readonly channel: string;
  private readonly lockKey: string;

  constructor(private readonly options: RedisRoomStateStoreOptions) {
    super();
    const redis = options.connection.create(
      // While Redis is away a write fails at once: the webhook is not acknowledged, and LiveKit retries it.
      { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      { retryStrategy: reconnectDelay },
    );
    redis.defineCommand('livekitRoomStateCas', { numberOfKeys: 1, lua: COMPARE_AND_SET_SCRIPT });
    redis.on('error', (error: Error) => this.logger.warn(`room state Redis: ${error.message}`));
    this.redis = redis as LiveKitRedisClient & WithCompareAndSet;
    // The subscriber queues its SUBSCRIBE until connected, and ioredis subscribes again after each reconnect.
    this.subscriber = options.connection.create({ enableOfflineQueue: true }, { retryStrategy: reconnectDelay });
    this.subscriber.on('error', () => undefined); // the main connection logs outages
    this.indexKey = `${options.keyPrefix}:rooms`;
    this.channel = `${options.keyPrefix}:changes`;
    this.lockKey = `${options.keyPrefix}:reconcile-lock`;
    this.subscriber.on('message', (channel: string, message: string) => this.received(channel, message));
    this.subscriber.subscribe(this.channel).catch((error: Error) => this.logger.warn(`room state subscription: ${error.message}`));
  }

  private keyOf(room: string): string {
    return `${this.options.keyPrefix}:{room:${room}}`;
  }

  private received(channel: string, message: string): void {
    if (channel !== this.channel) return;
    let parsed: ChangeMessage;
    try {
      parsed = JSON.parse(message) as ChangeMessage;
    } catch {
      return;
    }
    if (parsed.origin === this.origin || !Array.isArray(parsed.changes)) return;
    for (const listener of this.listeners) listener(parsed.changes, false);
  }

  private async read(room: string): Promise<{ version: string; json?: string; record?: RoomRecord }> {
    const [version, json] = await this.redis.hmget(this.keyOf(room), 'v', 's');
    return { version: version ?? '', json: json ?? undefined, record: json ? (JSON.parse(json) as RoomRecord) : undefined };
  }

  mutate(room: string, mutation: RoomRecordMutation): Promise<LiveKitRoomChange[]> {
    const previous = this.chains.get(room) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.mutateNow(room, mutation));
    this.chains.set(room, run);
    void run
      .finally(() => {
        if (this.chains.get(room) === run) this.chains.delete(room);
      })
      .catch(() => undefined);
    return run;
  }

  private async mutateNow(room: string, mutation: RoomRecordMutation): Promise<LiveKitRoomChange[]> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { version, json: before, record: current } = await this.read(room);
      const { record, changes } = mutation(current); // may change `current` in place: compare with the JSON read
      const json = record && JSON.stringify(record);
      if (!record || !json || (changes.length === 0 && json === before)) {
        if (record?.room) await this.redis.sadd(this.indexKey, room);
        return changes;
      }
      const ttl = record.room ? '0' : String(this.options.finishedRetentionMs);
      const written = await this.redis.livekitRoomStateCas(this.keyOf(room), version, json, ttl);
      if (Number(written) === 0) continue;
      // After the write: a reader that misses the room in the index finds it at the next write or reconcile.
      if (record.room) await this.redis.sadd(this.indexKey, room);
      else await this.redis.srem(this.indexKey, room);
      if (changes.length > 0) this.publish(changes);
      return changes;
    }
    throw new Error(`room state of ${JSON.stringify(room)}: ${MAX_ATTEMPTS} write conflicts in a row; the webhook is retried`);
  }

  private publish(changes: LiveKitRoomChange[]): void {
    for (const listener of this.listeners) listener(changes, true);
    const message: ChangeMessage = { origin: this.origin, changes };
    this.redis.publish(this.channel, JSON.stringify(message)).catch((error: Error) => {
      this.logger.warn(`room state changes not published to other instances: ${error.message}`);
    });
  }

  async get(room: string): Promise<RoomRecord | undefined> {
    return (await this.read(room)).record;
  }

  async list(): Promise<RoomRecord[]> {
    const names = await this.redis.smembers(this.indexKey);
    // One GET per key: on Redis Cluster the keys sit in different slots.
    const records = await Promise.all(names.map((name) => this.get(name)));
    return records.filter((record): record is RoomRecord => record?.room !== undefined);
  }

  onChanges(listener: (changes: LiveKitRoomChange[], local: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async claimReconcile(intervalMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.floor(intervalMs * 0.8));
    return (await this.redis.set(this.lockKey, this.origin, 'PX', ttl, 'NX')) === 'OK';
  }

  /** Index entries whose record expired are dropped; one written again meanwhile is put back. */
  async sweep(): Promise<void> {
    for (const name of await this.redis.smembers(this.indexKey)) {
      if ((await this.redis.exists(this.keyOf(name))) === 1) continue;
      await this.redis.srem(this.indexKey, name);
      const record = await this.get(name);
      if (record?.room) await this.redis.sadd(this.indexKey, name);
    }
  }

  /** Waits briefly for the first connection, so that the first webhooks are not refused; never fails the boot. */
  async onModuleInit(): Promise<void> {
    await firstConnection(this.redis, READY_WAIT_MS);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    // QUIT when connected (what was sent is answered first); otherwise there is nothing to wait for.
    const end = (client: LiveKitRedisClient) => (client.status === 'ready' ? client.quit() : Promise.resolve(client.disconnect()));
    await Promise.allSettled([end(this.subscriber), end(this.redis)]);
  }
}
