'use strict';
/**
 * One load round against one server, as run.js and ablation.js both run them: builds the job (a webhook
 * pool large enough for the rate seen so far, so that event ids do not repeat), runs it on the load
 * worker while sampling the server's RSS, and reports progress.
 */
const { randomBytes } = require('node:crypto');
const { runLoad } = require('./load-client');

const MAX_WEBHOOK_POOL = 500_000;

/**
 * @param {{ opts: object, load: object, apiKey: string, apiSecret: string, progress: (message: string) => void }} context
 * @returns {(server: object, scenario: object, durationSec: number, what: string, options?: { poolFloor?: number }) => Promise<object>}
 */
function createMeasurer({ opts, load, apiKey, apiSecret, progress }) {
  const runTag = randomBytes(3).toString('hex');
  const seen = new Map(); // "server/scenario" and "scenario" -> fastest req/s so far, sizes the next webhook pool
  let seq = 0;

  /**
   * The fastest rate of this server so far, else the fastest of any server on the scenario (a new server):
   * on a noisy machine the next round may well run faster than the last one.
   */
  const fastestRate = (server, scenario) => seen.get(`${server.name}/${scenario.id}`) ?? seen.get(scenario.id) ?? 0;
  const remember = (key, rate) => seen.set(key, Math.max(seen.get(key) ?? 0, rate));

  return async function measure(server, scenario, durationSec, what, { poolFloor = opts.webhookPool } = {}) {
    const rate = fastestRate(server, scenario);
    const expected = Math.ceil(rate * durationSec * 1.5) + 1000;
    // Until a rate is known, the pool is BENCH_WEBHOOK_POOL, whatever the caller's floor.
    const floor = rate > 0 ? poolFloor : opts.webhookPool;
    const job = {
      url: `http://127.0.0.1:${server.port}`,
      serverPid: server.pid,
      path: scenario.path,
      kind: scenario.kind,
      tag: `${runTag}${(seq++).toString(36)}_`,
      apiKey,
      apiSecret,
      poolSize: Math.min(MAX_WEBHOOK_POOL, Math.max(floor, expected)),
      duration: durationSec,
      connections: opts.connections,
      rate: scenario.rate,
    };
    const run = await runLoad(load, server, scenario, job);
    const r = run.result;
    if (r) {
      remember(`${server.name}/${scenario.id}`, r.reqPerSec);
      remember(scenario.id, r.reqPerSec);
    }
    progress(`${what} ${server.name} ${scenario.label}: ${r ? `${r.reqPerSec} req/s, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}` : run.error}`);
    return run;
  };
}

module.exports = { createMeasurer, MAX_WEBHOOK_POOL };
