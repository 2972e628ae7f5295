'use strict';
/**
 * Benchmark: the tutorial baseline, the bare Nest reference and our server, on Express and on Fastify;
 * then a compact ablation of our layers (ablation.js) on the same, still warm, servers; then (when
 * Redis answers) our server in durable webhook mode (durable.js). `--ablate` (or BENCH_ONLY=ablate)
 * runs the full ablation only.
 * `npm run bench` (builds first) or `node bench/run.js`. Progress goes to stderr; stdout gets the
 * tables and, as its last line, one JSON object with every figure. Settings: bench/options.js and
 * bench/README.md. BENCH_NODE=<version> runs all of it on that Node (node-runtime.js).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { installExitHandlers, assertPinnable, pinSelf } = require('./children');
const { createLoadClient } = require('./load-client');
const { createMeasurer } = require('./measure');
const { serverDefinitions, startServer, stopServer } = require('./servers');
const { scenarios } = require('./scenarios');
const { readOptions } = require('./options');
const { buildRows, print } = require('./report');
const { runDurableScenario } = require('./durable');
const { runAblation } = require('./ablation');
const { runOnRequestedNode } = require('./node-runtime');

const benchStarted = performance.now();
const progress = (message) => process.stderr.write(`bench [${Math.round((performance.now() - benchStarted) / 1000)}s]: ${message}\n`);

const round1 = (n) => Math.round(n * 10) / 10;
const rotate = (list, by) => list.slice(by % list.length).concat(list.slice(0, by % list.length));
const supports = (server, scenario) => !(server.baseline && scenario.baseline === false);

/** The HTTP scenarios: a discarded warm-up per server and scenario, then rounds in rotating server order. */
async function runHttpRounds(opts, ready, measure) {
  const plan = scenarios({ rate: opts.rate });
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
  return { plan, runs };
}

async function main() {
  const started = performance.now();
  installExitHandlers();
  const opts = readOptions(
    process.env,
    process.argv.slice(2),
    serverDefinitions().map((d) => d.name),
  );
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
  progress(`node ${process.version}; server logs in ${logDir} (kept when a server fails, or with BENCH_KEEP_LOGS=1)`);

  const servers = [];
  let keepLogs = process.env.BENCH_KEEP_LOGS === '1';
  const load = createLoadClient(opts.loadCpu);
  const measure = createMeasurer({ opts, load, apiKey, apiSecret, progress });
  const loadavgBefore = os.loadavg();
  try {
    const http = opts.only === '' || opts.only === 'http';
    // One at a time, so boot times do not compete for the server CPU.
    for (const def of serverDefinitions().filter((d) => http && opts.servers.includes(d.name))) {
      const server = await startServer(def, {
        cpu: opts.serverCpu,
        env,
        logDir,
        readyTimeoutMs: 10_000,
        settleMs: 1000,
        extraNodeFlags: opts.nodeFlags,
      });
      servers.push(server);
      progress(server.available ? `${def.label} ready in ${server.bootMs} ms` : `${def.label} unavailable: ${server.reason}`);
    }
    const { plan, runs } = http
      ? await runHttpRounds(
          opts,
          servers.filter((s) => s.available),
          measure,
        )
      : { plan: [], runs: [] };
    keepLogs ||= servers.some((s) => !s.available) || runs.some((r) => r.error);
    // Its own servers (the HTTP part's are stopped first): each configuration with the same history.
    await Promise.all(servers.map((s) => stopServer(s)));
    const ablation = opts.ablation
      ? await runAblation({
          settings: opts.ablation,
          opts,
          env,
          logDir,
          measure,
          progress,
          keepProfiles: keepLogs,
        })
      : undefined;
    keepLogs ||= ablation?.status === 'failed' || (ablation?.adapters ?? []).some((a) => a.error || a.servers.some((s) => !s.available));
    const durable =
      opts.only === '' || opts.only === 'durable'
        ? await runDurableScenario({ redisUrl: process.env.REDIS_URL, opts, env, logDir, load, apiKey, apiSecret, progress })
        : undefined;
    keepLogs ||= durable?.status === 'failed' || (durable?.rows ?? []).some((r) => r.status !== 'ok' || r.failures.length > 0);
    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      nodeRequested: process.env.BENCH_NODE || null,
      part: opts.only || 'all',
      extraNodeFlags: opts.nodeFlags,
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
    print({ meta, servers, rows: buildRows(servers, plan, runs), durable, ablation });
  } catch (error) {
    keepLogs = true;
    throw error;
  } finally {
    await Promise.all([load.close(), ...servers.map((s) => stopServer(s))]);
    // Our servers log every event: at full speed that is megabytes per run.
    if (!keepLogs) fs.rmSync(logDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    if (!runOnRequestedNode(process.env, process.argv.slice(2), progress)) {
      main().catch((error) => {
        process.stderr.write(`bench: ${error.message}\n`);
        process.exitCode = 1;
      });
    }
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 1;
  }
}
