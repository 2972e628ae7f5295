'use strict';
/**
 * The bench's read-only view of our BullMQ webhook queue in Redis, plus the cleanup of a run's keys.
 * It reads BullMQ's key layout directly (`<prefix>:<queue>:wait|active|paused` lists,
 * `delayed|prioritized|completed|failed` sorted sets, the last two scored by `finishedOn` in ms), so
 * that polling costs Redis a few O(1)/O(log n) commands and the server needs no test hook.
 */
const fs = require('node:fs');
const { Redis } = require('ioredis');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `redis://user:secret@host` -> `redis://user:***@host`. */
function redactUrl(url) {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/**
 * A connection that fails fast instead of retrying: rejects (with the reason) when Redis does not
 * answer a PING within `timeoutMs`.
 */
async function openRedis(url, timeoutMs = 2000) {
  if (!/^rediss?:\/\//i.test(url)) throw new Error('not a redis:// or rediss:// URL');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: 10_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectionName: 'livekit-bench',
  });
  let lastError = null;
  redis.on('error', (error) => (lastError = error));
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), timeout]);
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error((lastError ?? error).message || String(lastError ?? error));
  } finally {
    clearTimeout(timer);
  }
}

/** Version and pid of the Redis server; `localPid` only when that pid is a redis process visible in this /proc. */
async function describeRedis(redis) {
  const info = await redis.info('server');
  const field = (name) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? null;
  const pid = Number(field('process_id')) || null;
  let localPid = null;
  try {
    if (pid && fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('redis')) localPid = pid;
  } catch {
    // another host or PID namespace: no CPU figure for Redis
  }
  return { version: field('redis_version'), pid, localPid };
}

function queueKeys(prefix, queueName) {
  const key = (suffix) => `${prefix}:${queueName}:${suffix}`;
  return {
    wait: key('wait'),
    paused: key('paused'),
    active: key('active'),
    delayed: key('delayed'),
    prioritized: key('prioritized'),
    completed: key('completed'),
    failed: key('failed'),
  };
}

/** Jobs finished since `sinceMs` (completed, failed) and jobs not finished yet (pending), in one round trip. */
async function readQueueState(redis, keys, sinceMs) {
  const replies = await redis
    .pipeline()
    .zcount(keys.completed, sinceMs, '+inf')
    .zcount(keys.failed, sinceMs, '+inf')
    .llen(keys.wait)
    .llen(keys.paused)
    .llen(keys.active)
    .zcard(keys.delayed)
    .zcard(keys.prioritized)
    .exec();
  const values = replies.map(([error, value]) => {
    if (error) throw error;
    return Number(value);
  });
  const [completed, failed, ...pending] = values;
  return { completed, failed, pending: pending.reduce((sum, n) => sum + n, 0) };
}

/**
 * Polls until nothing is pending and at least `expected` jobs finished since `sinceMs`, or `timeoutMs`
 * passed (bounded). `drained` tells which.
 */
async function waitForDrain(redis, keys, { sinceMs, expected, timeoutMs, pollMs = 50 }) {
  const deadline = Date.now() + timeoutMs;
  let state = await readQueueState(redis, keys, sinceMs);
  while (!(state.pending === 0 && state.completed + state.failed >= expected) && Date.now() < deadline) {
    await sleep(pollMs);
    state = await readQueueState(redis, keys, sinceMs);
  }
  return { ...state, drained: state.pending === 0 && state.completed + state.failed >= expected };
}

/**
 * Distinct jobs of one round completed since `sinceMs`: job ids (= event ids) starting with `idPrefix`,
 * and the latest `finishedOn` among them.
 */
async function roundCompletions(redis, keys, { sinceMs, idPrefix }) {
  const flat = await redis.zrangebyscore(keys.completed, sinceMs, '+inf', 'WITHSCORES');
  let count = 0;
  let lastFinishedMs = null;
  for (let i = 0; i < flat.length; i += 2) {
    if (!flat[i].startsWith(idPrefix)) continue;
    count++;
    const score = Number(flat[i + 1]);
    if (lastFinishedMs === null || score > lastFinishedMs) lastFinishedMs = score;
  }
  return { count, lastFinishedMs };
}

/** Calls `onKeys` with each batch of keys matching `match` (one full SCAN, bounded by `maxScans` calls). */
async function scanKeys(redis, match, onKeys, maxScans) {
  let cursor = '0';
  for (let scans = 0; scans < maxScans; scans++) {
    const [next, found] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    if (found.length > 0) await onKeys(found);
    cursor = next;
    if (cursor === '0') return;
  }
}

/**
 * Deletes every key under `<prefix>:` (SCAN + UNLINK) and nothing else, then scans again to count what
 * is left. The prefix must be a plain `bench-<hex>` name, so that it holds no glob character.
 * @returns {Promise<{ deleted: number, left: number }>}
 */
async function deletePrefix(redis, prefix, maxScans = 100_000) {
  if (!/^bench-[0-9a-f]+$/.test(prefix)) throw new Error(`refusing to delete keys of prefix ${JSON.stringify(prefix)}`);
  const match = `${prefix}:*`;
  let deleted = 0;
  await scanKeys(redis, match, async (keys) => (deleted += await redis.unlink(...keys)), maxScans);
  let left = 0;
  await scanKeys(redis, match, (keys) => (left += keys.length), maxScans);
  return { deleted, left };
}

module.exports = { redactUrl, openRedis, describeRedis, queueKeys, waitForDrain, roundCompletions, deletePrefix };
