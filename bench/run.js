'use strict';
/**
 * Benchmark: the tutorial baseline vs our server on Express and on Fastify, then (when Redis answers)
 * our server in durable webhook mode (durable.js).
 * `npm run bench` (builds first) or `node bench/run.js`. Progress goes to stderr; stdout gets the
 * tables and, as its last line, one JSON object with every figure.
 *
 * Env: BENCH_DURATION (s per measured round, 3), BENCH_ROUNDS (3), BENCH_WARMUP (s, 3; 0 = none),
 * BENCH_CONNECTIONS (10), BENCH_RATE (fixed-rate req/s, 500), BENCH_SERVER_CPU (0), BENCH_LOAD_CPU (1),
 * BENCH_WEBHOOK_POOL (least signed webhooks per round, 20000), BENCH_SERVERS (e.g. "baseline,fastify"),
 * BENCH_KEEP_LOGS=1 (keep the servers' logs even when every server ran), BENCH_ONLY ("http" or "durable": one
 * part only). Durable mode: REDIS_URL (redis://127.0.0.1:6379; skipped when Redis does not answer),
 * BENCH_DURABLE_ROUNDS (min(BENCH_ROUNDS, 2)), BENCH_DURABLE_DURATION (s, BENCH_DURATION),
 * BENCH_DURABLE_WARMUP (s, min(BENCH_WARMUP, 2)), BENCH_DURABLE_TIMEOUT (s to wait for the events to be handled, 30).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { installExitHandlers, assertPinnable, pinSelf } = require('./children');
const { createLoadClient, runLoad } = require('./load-client');
const { serverDefinitions, startServer, stopServer } = require('./servers');
const { scenarios } = require('./scenarios');
const { buildRows, print } = require('./report');
const { runDurableScenario } = require('./durable');

const MAX_WEBHOOK_POOL = 500_000;

const progress = (message) => process.stderr.write(`bench: ${message}\n`);

function readInt(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function readOptions(env) {
  const names = serverDefinitions().map((d) => d.name);
  const only = (env.BENCH_SERVERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length) throw new Error(`BENCH_SERVERS: unknown server(s) ${unknown.join(', ')}; use ${names.join(', ')}`);
  const part = env.BENCH_ONLY ?? '';
  if (!['', 'http', 'durable'].includes(part)) throw new Error(`BENCH_ONLY must be "http" or "durable", got "${part}"`);
  const durationSec = readInt(env, 'BENCH_DURATION', 3, 1, 60);
  const rounds = readInt(env, 'BENCH_ROUNDS', 3, 1, 20);
  const warmupSec = readInt(env, 'BENCH_WARMUP', 3, 0, 60);
  return {
    durationSec,
    rounds,
    warmupSec,
    connections: readInt(env, 'BENCH_CONNECTIONS', 10, 1, 1000),
    rate: readInt(env, 'BENCH_RATE', 500, 1, 100_000),
    serverCpu: readInt(env, 'BENCH_SERVER_CPU', 0, 0, 4095),
    loadCpu: readInt(env, 'BENCH_LOAD_CPU', 1, 0, 4095),
    webhookPool: readInt(env, 'BENCH_WEBHOOK_POOL', 20_000, 1, MAX_WEBHOOK_POOL),
    servers: only.length ? only : names,
    only: part,
    durable: {
      rounds: readInt(env, 'BENCH_DURABLE_ROUNDS', Math.min(rounds, 2), 1, 20),
      durationSec: readInt(env, 'BENCH_DURABLE_DURATION', durationSec, 1, 60),
      warmupSec: readInt(env, 'BENCH_DURABLE_WARMUP', Math.min(warmupSec, 2), 0, 60),
      timeoutSec: readInt(env, 'BENCH_DURABLE_TIMEOUT', 30, 1, 600),
    },
  };
}

const round1 = (n) => Math.round(n * 10) / 10;
const rotate = (list, by) => list.slice(by % list.length).concat(list.slice(0, by % list.length));
const supports = (server, scenario) => !(server.baseline && scenario.baseline === false);

async function main() {
  const started = performance.now();
  installExitHandlers();
  const opts = readOptions(process.env);
  const cpus = os.availableParallelism(); // before pinning, which narrows it to one
  assertPinnable([opts.serverCpu, opts.loadCpu]);
  pinSelf(opts.loadCpu);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livekit-bench-'));
  const apiKey = 'APIbench';
  const apiSecret = randomBytes(30).toString('base64'); // 40 characters, above the production minimum
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    SERVER_HOST: '127.0.0.1',
    LIVEKIT_API_KEY: apiKey,
    LIVEKIT_API_SECRET: apiSecret,
    LIVEKIT_URL: 'ws://127.0.0.1:7880',
    // autocannon may write its next request before it reads the `Connection: close` of the 1000th answer on a
    // connection, and Node answers that request 503: the figures would count the load tool's race, not the server.
    SERVER_MAX_REQUESTS_PER_SOCKET: '0',
  };
  progress(`server logs in ${logDir} (kept when a server fails, or with BENCH_KEEP_LOGS=1)`);

  const servers = [];
  let keepLogs = process.env.BENCH_KEEP_LOGS === '1';
  const load = createLoadClient(opts.loadCpu);
  const loadavgBefore = os.loadavg();
  try {
    // One at a time, so boot times do not compete for the server CPU.
    for (const def of serverDefinitions().filter((d) => opts.only !== 'durable' && opts.servers.includes(d.name))) {
      const server = await startServer(def, { cpu: opts.serverCpu, env, logDir, readyTimeoutMs: 10_000, settleMs: 1000 });
      servers.push(server);
      progress(server.available ? `${def.label} ready in ${server.bootMs} ms` : `${def.label} unavailable: ${server.reason}`);
    }
    const ready = servers.filter((s) => s.available);
    const plan = scenarios({ rate: opts.rate });
    const runTag = randomBytes(3).toString('hex');
    const seen = new Map(); // "server/scenario" -> last req/s, sizes the next webhook pool
    let seq = 0;

    const measure = async (server, scenario, duration, what) => {
      const key = `${server.name}/${scenario.id}`;
      const expected = Math.ceil((seen.get(key) ?? 0) * duration * 1.3) + 1000;
      const job = {
        url: `http://127.0.0.1:${server.port}`,
        serverPid: server.pid,
        path: scenario.path,
        kind: scenario.kind,
        tag: `${runTag}${(seq++).toString(36)}_`,
        apiKey,
        apiSecret,
        poolSize: Math.min(MAX_WEBHOOK_POOL, Math.max(opts.webhookPool, expected)),
        duration,
        connections: opts.connections,
        rate: scenario.rate,
      };
      const run = await runLoad(load, server, scenario, job);
      if (run.result) seen.set(key, run.result.reqPerSec);
      const r = run.result;
      progress(
        `${what} ${server.name} ${scenario.label}: ${r ? `${r.reqPerSec} req/s, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}` : run.error}`,
      );
      return run;
    };

    if (opts.warmupSec > 0) {
      for (const server of ready) {
        for (const scenario of plan.filter((s) => s.warmup !== false && supports(server, s))) {
          await measure(server, scenario, opts.warmupSec, 'warm-up');
        }
      }
    }
    const runs = [];
    for (let round = 0; round < opts.rounds; round++) {
      for (const scenario of plan) {
        for (const server of rotate(ready, round).filter((s) => supports(s, scenario))) {
          runs.push({ ...(await measure(server, scenario, opts.durationSec, `round ${round + 1}/${opts.rounds}`)), round });
        }
      }
    }
    keepLogs ||= servers.some((s) => !s.available) || runs.some((r) => r.error);
    await Promise.all(servers.map(stopServer)); // idle, but out of the way of the durable servers
    const durable =
      opts.only === 'http'
        ? undefined
        : await runDurableScenario({ redisUrl: process.env.REDIS_URL, opts, env, logDir, load, apiKey, apiSecret, progress });
    keepLogs ||= durable?.status === 'failed' || (durable?.rows ?? []).some((r) => r.status !== 'ok' || r.failures.length > 0);
    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      connections: opts.connections,
      durationSec: opts.durationSec,
      rounds: opts.rounds,
      warmupSec: opts.warmupSec,
      rate: opts.rate,
      serverCpu: opts.serverCpu,
      loadCpu: opts.loadCpu,
      logDir: keepLogs ? logDir : null,
      // Other work on the machine skews every figure; compare with the CPU count.
      cpus,
      loadavg1m: { before: round1(loadavgBefore[0]), after: round1(os.loadavg()[0]) },
      totalSec: Math.round((performance.now() - started) / 100) / 10,
    };
    print({ meta, servers, rows: buildRows(servers, plan, runs), durable });
  } catch (error) {
    keepLogs = true;
    throw error;
  } finally {
    await Promise.all([load.close(), ...servers.map(stopServer)]);
    // Our servers log every event: at full speed that is megabytes per run.
    if (!keepLogs) fs.rmSync(logDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 1;
  });
}
