'use strict';
/**
 * The performance targets ("our layers cost at most 10 % over a bare Nest route"), per adapter, checked
 * against the run's figures: ours against the bare Nest reference on the same adapter (bench/bare-nest.js),
 * durable mode against our own inline webhook rate, and absolute limits for boot, idle memory and, on
 * Fastify, latency. A target whose figures are missing (server not run, part skipped) is `n/a`.
 */
const { table } = require('./table');

const THROUGHPUT = [
  ['token', 'POST /token'],
  ['livekit-token', 'POST /livekit/token'],
  ['webhook', 'POST /webhook'],
];
const FIXED_RATE = 'token-fixed-rate';
const P99_LIMIT_MS = 5;

const fmt = (value, digits = 2) => (value === null || value === undefined ? '-' : value.toFixed(digits));

/** `value op limit`, or null (n/a) when the value is missing. */
function verdict(value, op, limit) {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return op === '>=' ? value >= limit : value <= limit;
}

function target(adapter, id, label, { value, op, limit, unit = 'x', digits = 2, detail = '', why = '' }) {
  const met = verdict(value, op, limit);
  return {
    adapter,
    id,
    label,
    value: value === null || value === undefined ? null : Math.round(value * 1000) / 1000,
    op,
    limit,
    unit,
    met,
    measured: met === null ? 'n/a' : `${fmt(value, digits)}${unit === 'x' ? 'x' : ` ${unit}`}`,
    detail: met === null && why ? `${why}${detail ? `; ${detail}` : ''}` : detail,
  };
}

const ratio = (a, b) => (a !== null && a !== undefined && b ? a / b : null);

/**
 * @param {{ servers: object[], rows: object[], durable?: object }} run
 * @returns {object[]} one entry per adapter and target
 */
function computeTargets({ servers, rows, durable }) {
  const out = [];
  for (const adapter of ['express', 'fastify']) {
    const ours = servers.find((s) => s.adapter === adapter && !s.bare && !s.baseline);
    if (!ours) continue;
    const bare = servers.find((s) => s.adapter === adapter && s.bare);
    const row = (server, scenario) => rows.find((r) => r.server === server?.name && r.scenario === scenario && r.status === 'ok');
    const missingBare = bare ? 'bare Nest row missing' : 'bare Nest not run';

    for (const [scenario, label] of THROUGHPUT) {
      const mine = row(ours, scenario);
      const ref = row(bare, scenario);
      out.push(
        target(adapter, `${scenario}-throughput`, `${label} req/s, ours / bare`, {
          value: ratio(mine?.reqPerSec, ref?.reqPerSec),
          op: '>=',
          limit: 0.9,
          detail: `${mine?.reqPerSec ?? '-'} / ${ref?.reqPerSec ?? '-'} req/s`,
          why: mine ? missingBare : 'our row missing',
        }),
      );
    }

    const mineFixed = row(ours, FIXED_RATE);
    const refFixed = row(bare, FIXED_RATE);
    out.push(
      target(adapter, 'fixed-rate-cpu', `server CPU at ${mineFixed?.label ?? 'the fixed rate'}, ours / bare`, {
        value: ratio(mineFixed?.serverCpuUsPerRequest, refFixed?.serverCpuUsPerRequest),
        op: '<=',
        limit: 1.2,
        detail: `${mineFixed?.serverCpuUsPerRequest ?? '-'} / ${refFixed?.serverCpuUsPerRequest ?? '-'} CPU µs per request (${mineFixed?.serverCpuPct ?? '-'}% / ${refFixed?.serverCpuPct ?? '-'}%)`,
        why: mineFixed ? missingBare : 'our row missing',
      }),
    );

    const peak = (server) => {
      const values = THROUGHPUT.map(([scenario]) => row(server, scenario)?.maxRssMb).filter((v) => v !== null && v !== undefined);
      return values.length ? Math.max(...values) : null;
    };
    out.push(
      target(adapter, 'load-rss', 'max RSS under load (throughput scenarios), ours / bare', {
        value: ratio(peak(ours), peak(bare)),
        op: '<=',
        limit: 1.2,
        detail: `${fmt(peak(ours), 1)} / ${fmt(peak(bare), 1)} MB`,
        why: missingBare,
      }),
    );

    if (adapter === 'fastify') {
      out.push(
        target(adapter, 'fixed-rate-p99', `p99 at ${mineFixed?.label ?? 'the fixed rate'}`, {
          value: mineFixed?.p99Ms,
          op: '<=',
          limit: P99_LIMIT_MS,
          unit: 'ms',
          detail: `bare ${fmt(refFixed?.p99Ms)} ms`,
          why: 'our row missing',
        }),
      );
    } else {
      out.push(
        target(adapter, 'fixed-rate-p99', `p99 at ${mineFixed?.label ?? 'the fixed rate'}, ours / bare`, {
          value: ratio(mineFixed?.p99Ms, refFixed?.p99Ms),
          op: '<=',
          limit: 1.2,
          detail: `${fmt(mineFixed?.p99Ms)} / ${fmt(refFixed?.p99Ms)} ms`,
          why: mineFixed ? missingBare : 'our row missing',
        }),
      );
    }

    const inline = row(ours, 'webhook')?.reqPerSec;
    const queued = durable?.rows?.find((r) => r.server === `${adapter}-queue`);
    const durableWhy = !durable
      ? 'durable part not run'
      : durable.status === 'skipped'
        ? `durable part skipped: ${durable.reason}`
        : !queued || queued.status !== 'ok'
          ? `durable ${queued?.status ?? 'row missing'}`
          : 'inline webhook row missing';
    const failed = queued && queued.status === 'ok' && queued.failures.length > 0;
    for (const [field, what] of [
      ['ackPerSec', 'acked/s'],
      ['handledPerSec', 'handled/s'],
    ]) {
      const entry = target(adapter, `durable-${field}`, `durable mode ${what} / inline webhook req/s (ours)`, {
        value: queued?.status === 'ok' ? ratio(queued[field], inline) : null,
        op: '>=',
        limit: 0.9,
        detail: `${queued?.[field] ?? '-'} / ${inline ?? '-'}${failed ? '; FAILED rounds: events not all handled' : ''}`,
        why: durableWhy,
      });
      if (failed) entry.met = false;
      out.push(entry);
    }

    const idleMb = ours.idleRssKb === null || ours.idleRssKb === undefined ? null : ours.idleRssKb / 1024;
    out.push(
      target(adapter, 'idle-rss', 'idle RSS (ours)', {
        value: idleMb,
        op: '<=',
        limit: 100,
        unit: 'MB',
        digits: 1,
        why: 'server unavailable',
      }),
    );
    out.push(
      target(adapter, 'boot', 'boot-to-ready (ours)', {
        value: ours.bootMs,
        op: '<=',
        limit: 1000,
        unit: 'ms',
        digits: 0,
        why: 'server unavailable',
      }),
    );
  }
  return out;
}

function printTargets(targets) {
  if (targets.length === 0) return;
  const lines = targets.map((t) => [
    t.adapter,
    t.label,
    t.measured,
    `${t.op} ${t.unit === 'x' ? `${t.limit.toFixed(2)}x` : `${t.limit} ${t.unit}`}`,
    t.met === null ? 'n/a' : t.met ? 'met' : 'NOT met',
    t.detail,
  ]);
  console.log('\nTargets (ours against bare Nest on the same adapter, medians of this run):\n');
  console.log(table(['adapter', 'target', 'measured', 'limit', 'verdict', 'figures'], lines, { left: 2 }));
  const missed = targets.filter((t) => t.met === false).length;
  const na = targets.filter((t) => t.met === null).length;
  console.log(`\n${targets.length - missed - na} met, ${missed} NOT met, ${na} n/a.`);
}

module.exports = { computeTargets, printTargets };
