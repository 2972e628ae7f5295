'use strict';
/** Prints the ablation (bench/ablation.js): per adapter and scenario, each layer's cost next to its profile share. */
const { LAYERS } = require('./ablate/layers');
const { ABLATION_VARIANTS } = require('./ablation-variants');
const { OURS_OTHER, FRAMEWORK, GC, LOG_OUTPUT } = require('./cpu-profile');
const { table, show } = require('./table');

const signed = (v) => (v === null || v === undefined ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(1)}`);
const pct = (v) => (v === null || v === undefined ? '-' : `${v.toFixed(1)}%`);
const describe = (id) => LAYERS.find((l) => l.id === id) ?? ABLATION_VARIANTS.find((v) => v.id === id);

/** Sum of the removed layers' costs, without those nested in another measured layer (dispatch holds the ledger). */
function sumOfLayers(rows) {
  const measured = new Set(rows.map((r) => r.variant));
  const nested = new Set(rows.flatMap((r) => (measured.has(r.variant) ? (describe(r.variant)?.includes ?? []) : [])));
  const layers = rows.filter((r) => LAYERS.some((l) => l.id === r.variant) && !nested.has(r.variant));
  const total = (field) => (layers.some((r) => r[field] !== null) ? layers.reduce((n, r) => n + (r[field] ?? 0), 0) : null);
  return layers.length ? { us: total('costUs'), cpuUs: total('cpuCostUs'), count: layers.length } : null;
}

function printScenario(adapter, scenario, profile) {
  const full = scenario.full;
  console.log(
    `\n${adapter}, ${scenario.label}: full ${show(full.reqPerSec)} req/s = ${show(full.usPerRequest)} µs/req ` +
      `(full rounds ${show(full.usMin)}..${show(full.usMax)}, n=${full.rounds}), server CPU ${show(full.cpuUsPerRequest)} µs/req ` +
      `(${show(full.cpuUsMin)}..${show(full.cpuUsMax)})` +
      (profile ? `; profiled: ${show(profile.busyUsPerRequest)} µs/req busy CPU over ${profile.requests} requests` : '') +
      (full.checks.length ? `; WARNING full rounds: ${full.checks.join('; ')}` : ''),
  );
  const lines = scenario.rows.map((r) => {
    const notes = [...(r.patchProblems ?? []).map((p) => `FAILED ${p}`), ...r.checks.map((c) => `WARNING ${c}`)];
    return [
      r.label + (r.kind === 'added' ? ' (added)' : ''),
      show(r.reqPerSec),
      signed(r.costUs),
      r.costsUs.length > 1 ? `${signed(r.costMinUs)}..${signed(r.costMaxUs)}` : '-',
      signed(r.cpuCostUs),
      r.costsUs.length > 1 ? `${signed(r.cpuCostMinUs)}..${signed(r.cpuCostMaxUs)}` : '-',
      r.profile ? pct(r.profile.pct) : '-',
      r.profile ? show(r.profile.usPerRequest, 1) : '-',
      notes.length ? notes.join('; ') : 'ok',
    ];
  });
  console.log('');
  console.log(
    table(['variant', 'req/s', 'cost µs/req', 'range', 'CPU µs/req', 'range', 'profile share', 'profile µs/req', 'check'], lines, {
      left: 1,
    }),
  );
  const sum = sumOfLayers(scenario.rows);
  const bare = scenario.rows.find((r) => r.variant === 'bare');
  if (sum) {
    console.log(
      `sum of the ${sum.count} layer costs above (nested ones counted once): ${signed(sum.us)} µs/req, CPU ${signed(sum.cpuUs)}` +
        (bare ? `; everything (bare Nest): ${signed(bare.costUs)} µs/req, CPU ${signed(bare.cpuCostUs)}` : ''),
    );
  }
  if (scenario.skipped.length) console.log(`not on this path: ${scenario.skipped.join(', ')}`);
  if (profile) {
    const c = profile.categories;
    const part = (label, id) => `${label} ${pct(c[id]?.pct ?? 0)} (${show(c[id]?.usPerRequest ?? 0)} µs)`;
    const inTable = new Set(scenario.rows.flatMap((r) => [r.variant, ...(describe(r.variant)?.includes ?? [])]));
    const others = LAYERS.filter((l) => !inTable.has(l.id) && c[l.id]).map((l) => `${l.id} ${pct(c[l.id].pct)}`);
    if (others.length) console.log(`profile, layers not in this table: ${others.join(', ')}`);
    console.log(
      `profile, rest of the busy CPU: ${part('ours outside these layers', OURS_OTHER)}, ${part('log output (async writes of all lines)', LOG_OUTPUT)}, ` +
        `${part('framework/Node', FRAMEWORK)}, ${part('GC', GC)}`,
    );
    console.log(`profile, top self time: ${profile.topSelf.map((s) => `${s.group} ${pct(s.pct)}`).join(', ')}`);
  }
}

function printAblation(ablation) {
  if (ablation.status !== 'ok') {
    console.log(`\nAblation: ${ablation.status}: ${ablation.reason}`);
    return;
  }
  const s = ablation.settings;
  console.log(
    `\nAblation (${s.mode}; node ${ablation.node}): our server with one layer off at a time, ${s.passes} pass(es) of interleaved ` +
      `${s.durationSec} s rounds (full, variant, full, next variant, full...; order rotated each pass); all servers fresh, each variant round right after that variant's warm-up (${s.warmupRequests} requests, at most ${s.warmupSec} s; later passes 1 s); ` +
      `servers run with npm start's flags${s.nodeFlags.length ? ` plus ${s.nodeFlags.join(' ')} (BENCH_ABLATE_NODE_FLAGS: idle servers keep their bytecode)` : ' only'}.\n` +
      'cost = 1e6/req/s(full) - 1e6/req/s(variant) in µs per request, against the mean of the two full rounds around it; ' +
      "median over passes, range min..max over passes (one pass: none; the full rounds' spread is the noise). " +
      "CPU µs/req: the same difference in the server's own CPU time per response (/proc), which other work on its CPU does not inflate.\n" +
      (s.profile
        ? `profile share: the layer's part of the busy CPU of the full configuration under --cpu-prof (one ${s.profileDurationSec} s round per scenario), ` +
          'charged to the first layer frame from the leaf up (framework dispatch frames end the walk; other libraries count for their caller); ' +
          'a layer that holds others (dispatch) includes their share. Profiling slows the server: compare shares, and µs only roughly.'
        : 'profile: off (BENCH_ABLATE_PROFILE=0).'),
  );
  for (const adapter of ablation.adapters) {
    if (adapter.error) {
      console.log(`\n${adapter.adapter}: FAILED ${adapter.error}`);
      continue;
    }
    for (const server of adapter.servers.filter((x) => !x.available))
      console.log(`\n${adapter.adapter}: ${server.label} unavailable: ${server.reason}`);
    if (adapter.profile?.error) console.log(`\n${adapter.adapter}: CPU profile failed: ${adapter.profile.error}`);
    for (const scenario of adapter.scenarios) printScenario(adapter.adapter, scenario, adapter.profile?.scenarios?.[scenario.id]);
  }
  const shown = new Set(ablation.adapters.flatMap((a) => a.scenarios.flatMap((sc) => sc.rows.map((r) => r.variant))));
  console.log('\nWhat "off" means:');
  for (const id of shown) {
    const d = describe(id);
    console.log(`- ${d.label} (${d.source}): ${d.off}`);
  }
}

module.exports = { printAblation };
