'use strict';
/**
 * Turns the measured rounds into result rows (medians over rounds, max RSS, response checks), prints
 * them as tables (the HTTP scenarios, then durable mode), and prints everything again as ONE JSON
 * object on the last line.
 */

const { median } = require('./stats');
const { table, show } = require('./table');
const { computeTargets, printTargets } = require('./targets');
const { printAblation } = require('./ablation-report');

const mb = (kb) => (kb === null || kb === undefined ? null : Math.round(kb / 102.4) / 10);

function sumCodes(results) {
  const codes = {};
  for (const r of results) for (const [code, count] of Object.entries(r.statusCodes)) codes[code] = (codes[code] ?? 0) + count;
  return codes;
}

/** What makes a row's figures untrustworthy: non-2xx answers, socket errors, repeated webhook ids, failed rounds. */
function checks(results, failures, codes) {
  const notes = [];
  const non2xx = Object.entries(codes).filter(([code]) => !code.startsWith('2'));
  if (non2xx.length > 0) notes.push(`NON-2XX ${non2xx.map(([code, n]) => `${code}x${n}`).join(' ')}`);
  const bad = results.find((r) => r.preflight.status < 200 || r.preflight.status >= 300);
  if (bad) notes.push(`preflight ${bad.preflight.status} ${JSON.stringify(bad.preflight.body.slice(0, 80))}`);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  if (errors > 0) notes.push(`socket errors ${errors} (timeouts ${results.reduce((n, r) => n + r.timeouts, 0)})`);
  const reused = results.reduce((n, r) => n + (r.reusedIds ?? 0), 0);
  if (reused > 0) notes.push(`webhook ids reused ${reused}`);
  if (failures.length > 0) notes.push(`${failures.length} round(s) failed: ${failures[0]}`);
  const busiest = Math.max(0, ...results.map((r) => r.loadCpuPct ?? 0));
  if (busiest >= 90) notes.push(`load generator saturated (${busiest}% CPU): this measures autocannon`);
  return notes;
}

/** What every row reports of its load rounds: latency and load CPU medians, peak RSS, answer totals. */
function loadFigures(runs, results, codes) {
  return {
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    loadCpuPct: median(results.map((r) => r.loadCpuPct)),
    maxRssMb: mb(Math.max(0, ...runs.map((r) => r.maxRssKb ?? 0)) || null),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    statusCodes: codes,
    errors: results.reduce((n, r) => n + r.errors, 0),
    reusedIds: results.reduce((n, r) => n + (r.reusedIds ?? 0), 0),
  };
}

/** @returns result rows, one per (scenario, server), in scenario order. */
function buildRows(servers, scenarios, runs) {
  const rows = [];
  for (const scenario of scenarios) {
    const group = [];
    for (const server of servers) {
      const row = { server: server.name, scenario: scenario.id, label: scenario.label, status: 'ok' };
      if (!server.available) row.status = 'unavailable';
      else if (server.baseline && scenario.baseline === false) row.status = 'n/a';
      if (row.status === 'ok') {
        const mine = runs.filter((r) => r.server === server.name && r.scenario === scenario.id);
        const results = mine.filter((r) => r.result).map((r) => r.result);
        const codes = sumCodes(results);
        Object.assign(row, {
          reqPerSec: median(results.map((r) => r.reqPerSec)),
          ...loadFigures(mine, results, codes),
          serverCpuPct: median(results.map((r) => r.serverCpuPct)),
          // Finer than the percentage (clock ticks over the round): what the fixed-rate CPU target compares.
          serverCpuUsPerRequest: median(
            results.map((r) =>
              r.serverCpuSec !== null && r.serverCpuSec !== undefined && r.responses > 0
                ? Math.round((r.serverCpuSec * 1e7) / r.responses) / 10
                : null,
            ),
          ),
          rounds: results.map((r) => r.reqPerSec),
          checks: checks(
            results,
            mine.filter((r) => r.error).map((r) => r.error),
            codes,
          ),
        });
        if (scenario.rate && row.reqPerSec !== null && row.reqPerSec < scenario.rate * 0.9) {
          row.checks.push(`rate not met (${row.reqPerSec} of ${scenario.rate}/s)`);
        }
        if (results.length === 0) row.status = 'failed';
      }
      group.push(row);
    }
    const serverOf = (row) => servers.find((s) => s.name === row.server);
    const base = group.find((row) => serverOf(row).baseline);
    const ratio = (row, ref) => (ref?.reqPerSec && row.reqPerSec ? Math.round((row.reqPerSec / ref.reqPerSec) * 100) / 100 : null);
    for (const row of group) {
      const server = serverOf(row);
      row.ratioToBaseline = ratio(row, base);
      // Ours over the bare Nest reference on the same adapter: the cost of our layers alone.
      const bare =
        server.adapter && !server.bare ? group.find((r) => serverOf(r).bare && serverOf(r).adapter === server.adapter) : undefined;
      row.ratioToBare = bare ? ratio(row, bare) : null;
    }
    rows.push(...group);
  }
  return rows;
}

/**
 * Rows of the durable scenario (durable.js), one per server: medians over rounds of acknowledged/s,
 * handled/s, lag, latency and CPU. `failures` lists rounds whose acknowledged events were not all
 * handled (or whose queue could not be read): the row is then untrustworthy and printed FAILED.
 */
function buildDurableRows(servers, runs) {
  return servers.map((server) => {
    const row = { server: server.name, label: server.label, scenario: 'webhook-durable', status: 'ok' };
    if (!server.available) return { ...row, status: 'unavailable', failures: [], checks: [] };
    const mine = runs.filter((r) => r.server === server.name);
    const measured = mine.filter((r) => r.result && r.durable);
    const results = measured.map((r) => r.result);
    const durable = measured.map((r) => r.durable);
    const codes = sumCodes(results);
    const sum = (field) => durable.reduce((n, d) => n + (d[field] ?? 0), 0);
    Object.assign(row, {
      ackPerSec: median(durable.map((d) => d.ackPerSec)),
      handledPerSec: median(durable.map((d) => d.handledPerSec)),
      lagMs: median(durable.map((d) => d.lagMs)),
      ...loadFigures(mine, results, codes),
      serverCpuPct: median(durable.map((d) => d.serverCpuPct)),
      redisCpuPct: median(durable.map((d) => d.redisCpuPct)),
      acknowledged: sum('acknowledged'),
      handled: sum('handled'),
      failed: sum('failed'),
      rounds: durable.map(({ acknowledged, handled, ackPerSec, handledPerSec, lagMs }) => ({
        acknowledged,
        handled,
        ackPerSec,
        handledPerSec,
        lagMs,
      })),
      failures: measured.filter((r) => r.durable.error).map((r) => `round ${r.round + 1}: ${r.durable.error}`),
      checks: checks(
        results,
        mine.filter((r) => r.error).map((r) => r.error),
        codes,
      ),
    });
    if (results.length === 0) row.status = 'failed';
    return row;
  });
}

function printHttp({ meta, servers, rows }) {
  const label = (name) => servers.find((s) => s.name === name).label;
  const lines = rows.map((r) =>
    r.status !== 'ok'
      ? [label(r.server), r.label, '-', '-', '-', '-', '-', '-', '-', r.status === 'failed' ? `FAILED ${r.checks.join('; ')}` : r.status]
      : [
          label(r.server),
          r.label,
          show(r.reqPerSec),
          show(r.p50Ms, 2),
          show(r.p99Ms, 2),
          show(r.maxRssMb, 1),
          r.serverCpuPct === null ? '-' : `${r.serverCpuPct}%`,
          r.ratioToBaseline === null ? 'n/a' : `${r.ratioToBaseline.toFixed(2)}x`,
          r.ratioToBare === null ? '-' : `${r.ratioToBare.toFixed(2)}x`,
          r.checks.length ? `WARNING ${r.checks.join('; ')}` : 'ok',
        ],
  );
  console.log(
    `\nLoad: autocannon, ${meta.connections} connections, ${meta.rounds} x ${meta.durationSec} s measured (medians), ` +
      `warm-up ${meta.warmupSec} s discarded; server on CPU ${meta.serverCpu}, load on CPU ${meta.loadCpu} of ${meta.cpus}; node ${meta.node}` +
      (meta.extraNodeFlags?.length ? `; every server also runs with ${meta.extraNodeFlags.join(' ')} (BENCH_NODE_FLAGS)` : ''),
  );
  console.log('');
  console.log(
    table(['server', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'max RSS MB', 'server CPU', 'vs baseline', 'vs bare Nest', 'check'], lines),
  );
  console.log(
    '\nvs baseline: req/s over the tutorial baseline. vs bare Nest: req/s of ours over the bare Nest reference (bench/bare-nest.js) ' +
      'on the same adapter, i.e. what our layers leave of a bare Nest route.',
  );
  console.log('');
  console.log(bootTable(servers));
  const fixed = rows.find((r) => r.scenario === 'token-fixed-rate');
  if (fixed) {
    console.log(
      `\nNote: "${fixed.label}" is an open-loop test: requests evenly spaced at that rate on keep-alive ` +
        'connections, each latency timed from when its request was due (bench/paced-load.js).',
    );
  }
}

function bootTable(servers) {
  return table(
    ['server', 'status', 'boot-to-ready ms', 'idle RSS MB', 'note'],
    servers.map((s) => [
      s.label,
      s.available ? 'ready' : 'unavailable',
      show(s.bootMs),
      show(mb(s.idleRssKb), 1),
      s.available ? '' : s.reason,
    ]),
  );
}

const pct = (value) => (value === null || value === undefined ? '-' : `${value}%`);

function printDurable(meta, durable) {
  if (durable.status === 'skipped') {
    console.log(`\nDurable mode (WEBHOOK_MODE=queue): skipped: ${durable.reason}`);
    return;
  }
  const { redis, settings } = durable;
  const cleanup =
    durable.cleanup?.error ?? `${durable.cleanup?.deleted ?? '?'} keys deleted at the end, ${durable.cleanup?.left ?? '?'} left`;
  console.log(
    `\nDurable mode (WEBHOOK_MODE=queue, one BullMQ queue per server): ${meta.connections} connections, ${settings.rounds} x ${settings.durationSec} s ` +
      `measured (medians), warm-up ${settings.warmupSec} s discarded; server on CPU ${meta.serverCpu}, load on CPU ${meta.loadCpu}. ` +
      `Redis ${redis.version ?? '?'} at ${redis.url} is a separate process, NOT pinned: it shares the CPUs with the server and the load generator. ` +
      `Key prefix ${durable.prefix}: ${cleanup}.`,
  );
  if (durable.status === 'failed') console.log(`FAILED: ${durable.reason}`);
  const lines = durable.rows.map((r) =>
    r.status !== 'ok'
      ? [r.label, 'POST /webhook (queue)', ...Array(8).fill('-'), r.status === 'failed' ? `FAILED ${r.checks.join('; ')}` : r.status]
      : [
          r.label,
          'POST /webhook (queue)',
          show(r.ackPerSec),
          show(r.handledPerSec),
          show(r.lagMs),
          show(r.p50Ms, 2),
          show(r.p99Ms, 2),
          show(r.maxRssMb, 1),
          pct(r.serverCpuPct),
          pct(r.redisCpuPct),
          [r.failures.length ? `FAILED ${r.failures.join('; ')}` : '', r.checks.length ? `WARNING ${r.checks.join('; ')}` : '']
            .filter(Boolean)
            .join('; ') || 'ok',
        ],
  );
  console.log('');
  console.log(
    table(
      ['server', 'scenario', 'acked/s', 'handled/s', 'lag ms', 'p50 ms', 'p99 ms', 'max RSS MB', 'server CPU', 'Redis CPU', 'check'],
      lines,
    ),
  );
  console.log(
    '\nacked/s: 2xx answers / load duration (a 200 means Redis holds the event). handled/s: distinct events of the round ' +
      "completed by the server's worker (their ids in the queue's BullMQ completed set) / (latest finishedOn - first request); " +
      'it may count up to one event per connection more than were acknowledged (requests in flight when the load stopped). ' +
      'lag: latest finishedOn - end of the load (negative: all handled before the load generator returned). ' +
      'server and Redis CPU: from the first request to the end of the drain.',
  );
  console.log('');
  console.log(bootTable(durable.servers));
  for (const s of durable.servers.filter((s) => !s.available && s.logTail))
    console.log(`\n${s.label} unavailable, end of its log:\n${s.logTail}`);
}

const jsonServer = (s) => ({
  name: s.name,
  label: s.label,
  available: s.available,
  reason: s.reason,
  bootMs: s.bootMs,
  idleRssMb: mb(s.idleRssKb),
});

/**
 * Prints the tables, in this order: HTTP scenarios and boot, durable mode, targets, ablation; then the
 * JSON line with every figure (targets under `targets`, the ablation under `ablation`).
 */
function print({ meta, servers, rows, durable, ablation }) {
  console.log(
    `Node ${meta.node}${meta.nodeRequested ? ` (BENCH_NODE=${meta.nodeRequested})` : ''} for the servers, the load and the bench`,
  );
  // The bench keeps about two CPUs busy itself, so only the load average before it started tells of other work.
  if (meta.loadavg1m.before >= 0.5) {
    console.log(
      `WARNING: 1-min load average was ${meta.loadavg1m.before} before the bench started: other work shares these CPUs, figures are noisy.`,
    );
  }
  if (servers.length > 0) printHttp({ meta, servers, rows });
  if (durable) printDurable(meta, durable);
  const targets = servers.length > 0 ? computeTargets({ servers, rows, durable }) : [];
  printTargets(targets);
  if (ablation) printAblation(ablation);
  for (const s of servers.filter((s) => !s.available && s.logTail)) console.log(`\n${s.label} unavailable, end of its log:\n${s.logTail}`);
  console.log(`\nTotal bench time ${meta.totalSec} s`);
  const json = {
    meta,
    servers: servers.map(jsonServer),
    results: rows,
    targets,
    ...(ablation ? { ablation } : {}),
    ...(durable
      ? {
          durable: {
            status: durable.status,
            reason: durable.reason,
            ...(durable.status === 'skipped'
              ? {}
              : {
                  redis: durable.redis,
                  prefix: durable.prefix,
                  settings: durable.settings,
                  cleanup: durable.cleanup,
                  servers: durable.servers.map(jsonServer),
                  results: durable.rows,
                }),
          },
        }
      : {}),
  };
  console.log(JSON.stringify(json));
}

module.exports = { buildRows, buildDurableRows, print, checks, median };
