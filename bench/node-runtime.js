'use strict';
/**
 * BENCH_NODE=<version> (e.g. 24.22.3, or 22.23.5: the versions scripts/test.sh tests on): runs the whole
 * bench on that Node. The binary comes from the project's scripts/node-runtime.sh (installed once from
 * the npm registry into ~/.cache/nest-livekit/, its path printed as the last line); run.js then starts
 * again under it, so that the orchestrator, the load worker and every server (all spawned with
 * `process.execPath`) run on it.
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const SCRIPT = path.join(__dirname, '..', 'scripts', 'node-runtime.sh');

/**
 * @returns {boolean} true when the bench ran (or failed) under the requested Node in a child process;
 *   false when this process is already that Node, or none was requested: run here.
 */
function runOnRequestedNode(env, argv, progress) {
  const wanted = (env.BENCH_NODE ?? '').trim().replace(/^v/, '');
  if (!wanted || process.version === `v${wanted}`) return false;
  if (!/^\d+\.\d+\.\d+$/.test(wanted)) throw new Error(`BENCH_NODE must be a full version such as 24.22.3, got "${env.BENCH_NODE}"`);
  progress(`BENCH_NODE=${wanted}: fetching it with scripts/node-runtime.sh (once; then cached)`);
  const fetched = spawnSync('bash', [SCRIPT, wanted], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (fetched.error || fetched.status !== 0) {
    throw new Error(`scripts/node-runtime.sh ${wanted} failed (${fetched.error?.message ?? `exit ${fetched.status}`})`);
  }
  const bin = fetched.stdout.trim().split('\n').pop();
  progress(`running the bench on ${bin}`);
  // Ctrl-C reaches the child too (same process group); this process only waits for it.
  const child = spawnSync(bin, [path.join(__dirname, 'run.js'), ...argv], { stdio: 'inherit', env });
  if (child.error) throw new Error(`cannot run ${bin}: ${child.error.message}`);
  process.exitCode = child.status ?? 1;
  return true;
}

module.exports = { runOnRequestedNode };
