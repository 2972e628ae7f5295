'use strict';
/**
 * Fixed-rate load for the latency scenario: one request every 1000/rate ms, on `connections` keep-alive
 * sockets, whether or not earlier ones have answered (open loop), each latency measured from its
 * scheduled send to the end of its response. Written here rather than with autocannon's `overallRate`,
 * which releases each second's requests in bursts: against a bare node:http server on this machine it
 * reported p99 7.8 ms at 500 req/s, where evenly spaced requests measured 3.1 ms.
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const RESPONSE_TIMEOUT_MS = 10_000;

/**
 * @param {{ url: string, path: string, rate: number, duration: number, connections: number }} job
 * @param {{ next(): { headers: Record<string, string>, body: string } }} source
 * @param {number[]} latencies filled with one entry (ms) per answered request
 * @returns {Promise<{ duration: number, non2xx: number, statusCodeStats: Record<string, { count: number }>, errors: number, timeouts: number }>}
 *   the fields of an autocannon result that load.js reads
 */
function runPaced(job, source, latencies) {
  const target = new URL(job.path, job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const intervalMs = 1000 / job.rate;
  const total = Math.round(job.rate * job.duration);
  const statusCodes = {};
  let sent = 0;
  let settled = 0;
  let errors = 0;
  let timeouts = 0;

  return new Promise((resolve) => {
    const started = performance.now();
    let finishedAt = started;
    const settle = () => {
      settled++;
      if (settled === total) {
        finishedAt = performance.now();
        agent.destroy();
        const non2xx = Object.entries(statusCodes).reduce((n, [code, count]) => n + (code.startsWith('2') ? 0 : count), 0);
        const statusCodeStats = Object.fromEntries(Object.entries(statusCodes).map(([code, count]) => [code, { count }]));
        resolve({ duration: (finishedAt - started) / 1000, non2xx, statusCodeStats, errors, timeouts });
      }
    };
    const send = (scheduledAt) => {
      const { headers, body } = source.next();
      let done = false;
      const finish = (latency) => {
        if (done) return;
        done = true;
        if (latency !== undefined) latencies.push(latency);
        settle();
      };
      const req = http.request(target, {
        method: 'POST',
        agent,
        timeout: RESPONSE_TIMEOUT_MS,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        statusCodes[res.statusCode] = (statusCodes[res.statusCode] ?? 0) + 1;
        res.resume();
        res.on('end', () => finish(performance.now() - scheduledAt));
      });
      req.on('timeout', () => {
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      // Catch up on every send that is due, each timed from when it was due.
      while (sent < total && started + sent * intervalMs <= now) send(started + sent++ * intervalMs);
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
    };
    tick();
  });
}

module.exports = { runPaced };
