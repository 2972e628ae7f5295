'use strict';
/** The bench's settings, read from the environment and the command line (see bench/README.md). */
const { LAYERS } = require('./ablate/layers');
const { ABLATION_VARIANTS } = require('./ablation-variants');

const PARTS = ['', 'http', 'durable', 'ablate'];
const ABLATION_MODES = ['compact', 'full', 'off'];

function readInt(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function readList(env, name, allowed) {
  const list = (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((item) => !allowed.includes(item));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(', ')}; use ${allowed.join(', ')}`);
  return list;
}

function readEnum(env, name, allowed, fallback) {
  const raw = env[name] ?? '';
  if (raw === '') return fallback;
  if (!allowed.includes(raw)) throw new Error(`${name} must be one of ${allowed.filter(Boolean).join(', ')}, got "${raw}"`);
  return raw;
}

/** Node flags, space-separated; unset: `fallback`; empty: none. */
function readFlags(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const flags = raw.split(/\s+/).filter(Boolean);
  const bad = flags.filter((flag) => !flag.startsWith('--'));
  if (bad.length) throw new Error(`${name}: Node flags start with --, got ${bad.join(' ')}`);
  return flags;
}

/**
 * The ablation's settings. `compact` (what a default run adds after the HTTP tables) measures the
 * `compact` layers once, in short rounds; `full` (`--ablate`) measures every layer and variant in
 * several interleaved passes.
 */
function readAblationOptions(env, mode) {
  const full = mode === 'full';
  const ids = [...LAYERS.map((l) => l.id), ...ABLATION_VARIANTS.map((v) => v.id)];
  const chosen = readList(env, 'BENCH_ABLATE_LAYERS', ids);
  const defaults = full
    ? ids
    : [...LAYERS.filter((l) => l.compact).map((l) => l.id), ...ABLATION_VARIANTS.filter((v) => v.compact).map((v) => v.id)];
  return {
    mode,
    layers: chosen.length ? chosen : defaults,
    scenarios: (env.BENCH_ABLATE_SCENARIOS ?? '').trim()
      ? readList(env, 'BENCH_ABLATE_SCENARIOS', ['token', 'livekit-token', 'webhook'])
      : ['token', 'webhook'],
    passes: readInt(env, 'BENCH_ABLATE_PASSES', full ? 3 : 1, 1, 20),
    durationSec: readInt(env, 'BENCH_ABLATE_DURATION', full ? 2 : 1, 1, 60),
    // A fresh server needs some thousands of requests per route before its CPU per request settles.
    warmupRequests: readInt(env, 'BENCH_ABLATE_WARMUP_REQUESTS', full ? 15_000 : 5000, 0, 1_000_000),
    warmupSec: readInt(env, 'BENCH_ABLATE_WARMUP', full ? 12 : 3, 1, 120),
    // A server left idle for some seconds loses its request path's bytecode (V8 flushes it in the GCs of an
    // idle process) and runs the next thousands of requests 2-3x slower: each variant idles while the others
    // are measured, so by default they all keep their bytecode. '' runs them with npm start's flags only.
    nodeFlags: readFlags(env, 'BENCH_ABLATE_NODE_FLAGS', ['--no-flush-bytecode']),
    profile: readEnum(env, 'BENCH_ABLATE_PROFILE', ['0', '1'], '1') === '1',
    profileDurationSec: readInt(env, 'BENCH_ABLATE_PROFILE_DURATION', full ? 3 : 1, 1, 60),
  };
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string[]} argv the command line after the script (`--ablate` = BENCH_ONLY=ablate)
 * @param {string[]} serverNames every server `servers.js` defines
 */
function readOptions(env, argv, serverNames) {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const unknownFlags = flags.filter((flag) => flag !== '--ablate');
  if (unknownFlags.length)
    throw new Error(`unknown option(s) ${unknownFlags.join(' ')}; the only one is --ablate (settings are env variables)`);
  const servers = readList(env, 'BENCH_SERVERS', serverNames);
  let only = readEnum(env, 'BENCH_ONLY', PARTS, '');
  if (flags.includes('--ablate')) {
    if (only !== '' && only !== 'ablate') throw new Error(`--ablate and BENCH_ONLY=${only} contradict each other`);
    only = 'ablate';
  }
  const ablation =
    only === 'ablate'
      ? readEnum(env, 'BENCH_ABLATION', ['full', 'compact'], 'full')
      : only === ''
        ? readEnum(env, 'BENCH_ABLATION', ABLATION_MODES, 'compact')
        : 'off';
  const durationSec = readInt(env, 'BENCH_DURATION', 2, 1, 60);
  const rounds = readInt(env, 'BENCH_ROUNDS', 2, 1, 20);
  const warmupSec = readInt(env, 'BENCH_WARMUP', 2, 0, 60);
  return {
    durationSec,
    rounds,
    warmupSec,
    connections: readInt(env, 'BENCH_CONNECTIONS', 10, 1, 1000),
    rate: readInt(env, 'BENCH_RATE', 500, 1, 100_000),
    serverCpu: readInt(env, 'BENCH_SERVER_CPU', 0, 0, 4095),
    loadCpu: readInt(env, 'BENCH_LOAD_CPU', 1, 0, 4095),
    webhookPool: readInt(env, 'BENCH_WEBHOOK_POOL', 20_000, 1, 500_000),
    // Added to every server of the HTTP part and durable mode (e.g. --no-flush-bytecode); none by default.
    nodeFlags: readFlags(env, 'BENCH_NODE_FLAGS', []),
    servers: servers.length ? servers : serverNames,
    only,
    durable: {
      rounds: readInt(env, 'BENCH_DURABLE_ROUNDS', Math.min(rounds, 2), 1, 20),
      durationSec: readInt(env, 'BENCH_DURABLE_DURATION', durationSec, 1, 60),
      warmupSec: readInt(env, 'BENCH_DURABLE_WARMUP', Math.min(warmupSec, 2), 0, 60),
      timeoutSec: readInt(env, 'BENCH_DURABLE_TIMEOUT', 30, 1, 600),
    },
    ablation: ablation === 'off' ? null : readAblationOptions(env, ablation),
  };
}

module.exports = { readOptions };
