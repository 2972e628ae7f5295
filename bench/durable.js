'use strict';
/**
 * Durable webhook mode end to end: our server with WEBHOOK_MODE=queue on Redis, on Express and on
 * Fastify, under the webhook load (distinct signed events). Two figures per round:
 * - acknowledged/s: 2xx answers / autocannon duration (the event is in Redis when the 200 leaves);
 * - handled/s: distinct events of the round completed by the server's BullMQ worker (their ids in the
 *   queue's `completed` set), divided by the time from the round's first request to the latest
 *   `finishedOn` among them. Lag: that latest completion minus the end of the load.
 * After each round (warm-up included) the queue is polled until nothing is pending and every
 * acknowledged event finished, or BENCH_DURABLE_TIMEOUT passed: then the round fails loudly.
 *
 * Redis is REDIS_URL, else redis://127.0.0.1:6379; when it does not answer the scenario is skipped
 * with the reason. Each run uses its own key prefix (`bench-<hex>`, one queue per server) and deletes
 * that prefix's keys at the end; no other key is read or written.
 */
const { randomBytes } = require('node:crypto');
const { serverDefinitions, startServer, stopServer } = require('./servers');
const { runLoad } = require('./load-client');
const { readCpuSeconds } = require('./proc');
const { redactUrl, openRedis, describeRedis, queueKeys, waitForDrain, roundCompletions, deletePrefix } = require('./redis-queue');
const { buildDurableRows } = require('./report');

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const MAX_WEBHOOK_POOL = 500_000;
const SCENARIO = { id: 'webhook-durable', label: 'POST /webhook (queue)', path: '/webhook', kind: 'webhook' };

const is2xx = (status) => status >= 200 && status < 300;
const count2xx = (codes) => Object.entries(codes).reduce((n, [code, count]) => n + (is2xx(Number(code)) ? count : 0), 0);
const rotate = (list, by) => list.slice(by % list.length).concat(list.slice(0, by % list.length));

/** Our server in queue mode, on its own queue under the run's prefix. */
function queueModeDefinition(def, { redisUrl, prefix }) {
  const queueName = `webhooks-${def.name}`;
  return {
    ...def,
    name: `${def.name}-queue`,
    label: `ours (${def.name}, queue)`,
    queue: { prefix, name: queueName, keys: queueKeys(prefix, queueName) },
    env: { ...def.env, WEBHOOK_MODE: 'queue', REDIS_URL: redisUrl, WEBHOOK_QUEUE_PREFIX: prefix, WEBHOOK_QUEUE_NAME: queueName },
  };
}

const cpuPct = (before, after, seconds) =>
  before === null || after === null || !(seconds > 0) ? null : Math.round(((after - before) / seconds) * 100);

/**
 * One load round, then the wait for its events to be handled. Never throws: a failed load carries
 * `error`, events not handled in time carry `durable.error`.
 */
async function durableRound(ctx, server, durationSec, tag) {
  const { opts, redis, redisPid } = ctx;
  const expected = Math.ceil((ctx.seen.get(server.name) ?? 0) * durationSec * 1.3) + 1000;
  const job = {
    url: `http://127.0.0.1:${server.port}`,
    serverPid: server.pid,
    path: SCENARIO.path,
    kind: SCENARIO.kind,
    tag,
    apiKey: ctx.apiKey,
    apiSecret: ctx.apiSecret,
    poolSize: Math.min(MAX_WEBHOOK_POOL, Math.max(opts.webhookPool, expected)),
    duration: durationSec,
    connections: opts.connections,
  };
  // CPU read before the pool is signed; both processes are idle while it is (see the window below).
  const serverCpuBefore = readCpuSeconds(server.pid);
  const redisCpuBefore = redisPid ? readCpuSeconds(redisPid) : null;
  const run = await runLoad(ctx.load, server, SCENARIO, job);
  const r = run.result;
  if (!r) return run;
  const acked2xx = count2xx(r.statusCodes);
  ctx.seen.set(server.name, Math.round(acked2xx / r.durationSec));
  const acknowledged = acked2xx + (is2xx(r.preflight.status) ? 1 : 0);
  const timeoutMs = opts.durable.timeoutSec * 1000;
  try {
    const drain = await waitForDrain(redis, server.queue.keys, { sinceMs: r.startedAtMs, expected: acknowledged, timeoutMs });
    const drainedAt = Date.now();
    const serverCpuAfter = readCpuSeconds(server.pid);
    const redisCpuAfter = redisPid ? readCpuSeconds(redisPid) : null;
    const done = await roundCompletions(redis, server.queue.keys, { sinceMs: r.startedAtMs, idPrefix: `EV_${tag}` });
    const windowSec = done.lastFinishedMs === null ? null : (done.lastFinishedMs - r.startedAtMs) / 1000;
    const errors = [];
    if (!drain.drained) {
      errors.push(
        `${Math.max(0, acknowledged - done.count)} of ${acknowledged} acknowledged events not handled within ${opts.durable.timeoutSec} s ` +
          `(${drain.pending} still queued or running)`,
      );
    } else if (done.count < acknowledged) {
      errors.push(`${acknowledged - done.count} of ${acknowledged} acknowledged events never completed`);
    }
    if (drain.failed > 0) errors.push(`${drain.failed} event(s) failed in the worker`);
    run.durable = {
      acknowledged,
      ackPerSec: Math.round(acked2xx / r.durationSec),
      handled: done.count,
      handledPerSec: windowSec > 0 ? Math.round(done.count / windowSec) : null,
      lagMs: done.lastFinishedMs === null ? null : done.lastFinishedMs - r.endedAtMs,
      failed: drain.failed,
      pending: drain.pending,
      // CPU seconds of the whole round over the time from the first request to the drain being seen.
      serverCpuPct: cpuPct(serverCpuBefore, serverCpuAfter, (drainedAt - r.startedAtMs) / 1000),
      redisCpuPct: cpuPct(redisCpuBefore, redisCpuAfter, (drainedAt - r.startedAtMs) / 1000),
      error: errors.length ? errors.join('; ') : null,
    };
  } catch (error) {
    run.durable = { acknowledged, ackPerSec: Math.round(acked2xx / r.durationSec), error: `reading the queue in Redis: ${error.message}` };
  }
  return run;
}

function describeRound(what, server, run) {
  if (!run.result) return `${what} ${server.name}: ${run.error}`;
  const d = run.durable;
  return (
    `${what} ${server.name}: acknowledged ${d.ackPerSec}/s, handled ${d.handledPerSec ?? '-'}/s ` +
    `(${d.handled ?? '?'} of ${d.acknowledged}), lag ${d.lagMs ?? '-'} ms, non-2xx ${run.result.non2xx}` +
    (d.error ? `; FAILED ${d.error}` : '')
  );
}

/**
 * @param {{ redisUrl?: string, opts: object, env: object, logDir: string, load: object,
 *   apiKey: string, apiSecret: string, progress: (message: string) => void }} context
 * @returns {Promise<object>} `{ status: 'skipped', reason }` or `{ status: 'ok', redis, prefix, servers, rows, cleanup }`
 */
async function runDurableScenario(context) {
  const { opts, progress } = context;
  const redisUrl = context.redisUrl || DEFAULT_REDIS_URL;
  const shownUrl = redactUrl(redisUrl);
  const defs = serverDefinitions().filter((d) => !d.baseline && !d.bare && opts.servers.includes(d.name));
  if (defs.length === 0) return { status: 'skipped', reason: 'BENCH_SERVERS selects none of our servers' };
  let redis;
  try {
    redis = await openRedis(redisUrl);
  } catch (error) {
    return { status: 'skipped', reason: `Redis not reachable at ${shownUrl} (${error.message}); set REDIS_URL` };
  }
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const servers = [];
  const runs = [];
  const out = { status: 'ok', reason: null, redis: { url: shownUrl, pinned: false }, prefix, settings: opts.durable };
  try {
    Object.assign(out.redis, await describeRedis(redis));
    progress(`durable: Redis ${out.redis.version} at ${shownUrl} (not pinned), queue prefix ${prefix}`);
    for (const def of defs.map((d) => queueModeDefinition(d, { redisUrl, prefix }))) {
      const server = await startServer(def, {
        cpu: opts.serverCpu,
        env: context.env,
        logDir: context.logDir,
        readyTimeoutMs: 15_000,
        settleMs: 1000,
        extraNodeFlags: opts.nodeFlags,
      });
      servers.push(server);
      progress(server.available ? `${def.label} ready in ${server.bootMs} ms` : `${def.label} unavailable: ${server.reason}`);
    }
    const ready = servers.filter((s) => s.available);
    const ctx = { ...context, redis, redisPid: out.redis.localPid, seen: new Map() };
    const runTag = randomBytes(3).toString('hex');
    let seq = 0;
    const nextTag = () => `${runTag}q${(seq++).toString(36)}_`;
    if (opts.durable.warmupSec > 0) {
      for (const server of ready) {
        progress(describeRound('durable warm-up', server, await durableRound(ctx, server, opts.durable.warmupSec, nextTag())));
      }
    }
    for (let round = 0; round < opts.durable.rounds; round++) {
      for (const server of rotate(ready, round)) {
        const run = { ...(await durableRound(ctx, server, opts.durable.durationSec, nextTag())), round };
        runs.push(run);
        progress(describeRound(`durable round ${round + 1}/${opts.durable.rounds}`, server, run));
      }
    }
  } catch (error) {
    out.status = 'failed';
    out.reason = error.message;
  } finally {
    // Servers first, so that no worker writes under the prefix while its keys are deleted.
    await Promise.all(servers.map((s) => stopServer(s)));
    try {
      out.cleanup = await deletePrefix(redis, prefix);
      progress(`durable: deleted ${out.cleanup.deleted} Redis keys under ${prefix}:`);
    } catch (error) {
      out.cleanup = { error: `could not delete the keys under ${prefix}: ${error.message}` };
    }
    redis.disconnect();
  }
  out.servers = servers.map(({ name, label, available, reason, bootMs, idleRssKb, logTail }) => ({
    name,
    label,
    available,
    reason,
    bootMs,
    idleRssKb,
    logTail,
  }));
  out.rows = buildDurableRows(servers, runs);
  return out;
}

module.exports = { runDurableScenario };
