'use strict';
/**
 * Load rounds. Each job sends one preflight request, runs autocannon, and answers the figures.
 * - worker: spawned with an IPC channel (run.js, via load-client.js), answers `{ id, job }` messages
 *   with `{ id, result }` or `{ id, error }`, one job at a time; saves a Node start per round.
 * - one-shot: `node bench/load.js '<job json>'` prints the figures as one JSON line.
 * Job: { url, path, kind, tag, apiKey, apiSecret, poolSize, duration, connections, rate?, serverPid? }
 * Result: req/s, latencies, status codes, CPU, and `startedAtMs`/`endedAtMs` (wall clock: before the
 * preflight, after the last autocannon response) for end-to-end figures measured elsewhere (durable.js),
 * `loadStartMonoUs`/`loadEndMonoUs` (monotonic clock, around the load only) for CPU profiles (cpu-profile.js).
 */
const http = require('node:http');
const autocannon = require('autocannon');
const { performance } = require('node:perf_hooks');
const { createRequestSource } = require('./requests');
const { runPaced } = require('./paced-load');
const { readCpuSeconds } = require('./proc');

/** One request outside the measurement, so a wrong contract shows up with its status and body. */
function preflight(url, path, { headers, body }) {
  return new Promise((resolve) => {
    const req = http.request(new URL(path, url), { method: 'POST', headers, agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        if (text.length < 300) text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, body: text.slice(0, 300) }));
    });
    req.on('timeout', () => req.destroy(new Error('preflight timed out')));
    req.on('error', (error) => resolve({ status: 0, body: error.message }));
    req.end(body);
  });
}

function runAutocannon(job, source, latencies) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.duration,
        overallRate: job.rate,
        requests: [
          {
            method: 'POST',
            path: job.path,
            setupRequest: (req) => {
              const { headers, body } = source.next();
              return { ...req, headers: { ...req.headers, ...headers }, body };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    // autocannon's own histogram has 1 ms resolution; keep every latency for exact percentiles.
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function runJob(job) {
  const source = await createRequestSource(job);
  // Wall clock (comparable with the server's and Redis' timestamps): the first request of the round is the preflight.
  const startedAtMs = Date.now();
  const first = await preflight(job.url, job.path, source.next());
  const latencies = [];
  // CPU use over the autocannon run only: the server near 100% means it was the bottleneck; this
  // process near 100% means the load generator was, and the round measures the generator.
  const serverCpuStart = job.serverPid ? readCpuSeconds(job.serverPid) : null;
  const ownCpuStart = process.cpuUsage();
  const startedAt = performance.now();
  // Monotonic µs on the clock V8's CPU profiles use, to pick a server profile's samples of this round (cpu-profile.js).
  const loadStartMonoUs = Number(process.hrtime.bigint() / 1000n);
  // A fixed rate is paced evenly (see paced-load.js); otherwise autocannon loads as fast as the server answers.
  const result = await (job.rate ? runPaced(job, source, latencies) : runAutocannon(job, source, latencies));
  const loadEndMonoUs = Number(process.hrtime.bigint() / 1000n);
  const endedAtMs = Date.now();
  const wallSec = (performance.now() - startedAt) / 1000;
  const serverCpuEnd = job.serverPid ? readCpuSeconds(job.serverPid) : null;
  const ownCpu = process.cpuUsage(ownCpuStart);
  const sorted = Float64Array.from(latencies).sort();
  const round = (ms) => (ms === null ? null : Math.round(ms * 1000) / 1000);
  return {
    reqPerSec: Math.round(latencies.length / result.duration),
    responses: latencies.length,
    durationSec: result.duration,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(percentile(sorted, 100)),
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuPct: serverCpuStart !== null && serverCpuEnd !== null ? Math.round(((serverCpuEnd - serverCpuStart) / wallSec) * 100) : null,
    // CPU seconds the server spent on the round (clock-tick resolution): per response, it stays put when
    // other work takes the server's CPU, where req/s falls.
    serverCpuSec: serverCpuStart !== null && serverCpuEnd !== null ? Math.round((serverCpuEnd - serverCpuStart) * 1000) / 1000 : null,
    loadCpuPct: Math.round(((ownCpu.user + ownCpu.system) / 1e6 / wallSec) * 100),
    preflight: first,
    startedAtMs,
    endedAtMs,
    loadStartMonoUs,
    loadEndMonoUs,
    ...source.stats(),
  };
}

function serveJobs() {
  process.on('message', ({ id, job }) => {
    runJob(job).then(
      (result) => process.send({ id, result }),
      (error) => process.send({ id, error: String(error.stack ?? error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

function runOnce(jobJson) {
  Promise.resolve(jobJson)
    .then((text) => runJob(JSON.parse(text)))
    .then(
      (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
      (error) => {
        process.stderr.write(`load: ${error.stack ?? error}\n`);
        process.exitCode = 1;
      },
    );
}

if (require.main === module) {
  if (process.send) serveJobs();
  else runOnce(process.argv[2]);
}

module.exports = { runJob };
