'use strict';
/**
 * Ablation: what each layer of our server costs per request. For each adapter it starts our server as
 * `npm start` runs it ("full"), plus one server per variant: one layer patched off (bench/ablate/
 * preload.js, `BENCH_ABLATE=<layer>`), the bare Nest reference, or an option turned on
 * (ablation-variants.js). Per scenario, rounds alternate full / variant / full / next variant / full...
 * so that each variant round sits between two full rounds, and its cost is
 *   1e6 / req/s(full) - 1e6 / req/s(variant)   (µs per request; the mean of its two neighbours for full),
 * with the variants' order rotated each pass; medians over passes, and the range.
 * Then one server of the full configuration runs under `--cpu-prof` for one round per scenario, and
 * the profile's busy samples are charged to the layers (cpu-profile.js), to print beside the costs.
 *
 * The product has no switch for any of this: the patches live in bench/ablate/layers.js.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { LAYERS, DIST, layerById } = require('./ablate/layers');
const { ABLATION_VARIANTS } = require('./ablation-variants');
const { serverDefinitions, startServer, stopServer } = require('./servers');
const { scenarios } = require('./scenarios');
const { createClassifier, attribute, readProfile, findProfile, OURS_OTHER, LOG_OUTPUT } = require('./cpu-profile');
const { median, mean, range, round1 } = require('./stats');
const { checks } = require('./report');

const PRELOAD = path.join(__dirname, 'ablate', 'preload.js');
const PROFILE_INTERVAL_US = 500;
/** Least signed webhooks per ablation round once a rate is known (measure.js sizes it from that rate). */
const ABLATION_POOL_FLOOR = 2000;

const rotate = (list, by) => list.slice(by % list.length).concat(list.slice(0, by % list.length));
/**
 * Below this server CPU a throughput round did not measure the server (something else had its CPU, or it
 * stalled): it is left out of the costs, and counted.
 */
const MIN_SERVER_CPU_PCT = 50;
const usable = (run) => run?.result?.reqPerSec > 0 && (run.result.serverCpuPct ?? 100) >= MIN_SERVER_CPU_PCT;
const usPerRequest = (run) => (usable(run) ? 1e6 / run.result.reqPerSec : null);
/** The server's own CPU µs per response: unlike req/s, it holds when other work takes the server's CPU. */
const cpuUsPerRequest = (run) =>
  usable(run) && run.result.serverCpuSec !== null ? (run.result.serverCpuSec * 1e6) / run.result.responses : null;
const starvedNote = (runs) => {
  const starved = runs.filter((r) => r?.result && !usable(r)).length;
  return starved ? [`${starved} round(s) left out: server CPU under ${MIN_SERVER_CPU_PCT}% (its CPU was taken, or it stalled)`] : [];
};

function variantOf(id) {
  const variant = ABLATION_VARIANTS.find((v) => v.id === id);
  return variant ?? { ...layerById(id), kind: 'removed', layer: true };
}

/** The server of a variant: ours with the layer's preload, the bare Nest server, or ours with extra env. */
function variantDefinition(variant, fullDef, bareDef) {
  if (variant.bare) return bareDef;
  if (variant.env) {
    return {
      ...fullDef,
      name: `${fullDef.name}+${variant.id}`,
      label: `ours (${fullDef.adapter}) + ${variant.label}`,
      env: { ...fullDef.env, ...variant.env },
    };
  }
  return {
    ...fullDef,
    name: `${fullDef.name}-no-${variant.id}`,
    label: `ours (${fullDef.adapter}) without ${variant.label}`,
    nodeFlags: [...fullDef.nodeFlags, '-r', PRELOAD],
    env: { ...fullDef.env, BENCH_ABLATE: variant.id },
  };
}

/** Runs every chosen patch once in a throwaway process: a renamed target fails here, before any server starts. */
function checkPatches(layerIds) {
  if (layerIds.length === 0) return null;
  const probe = spawnSync(process.execPath, [PRELOAD, '--check', ...layerIds], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status === 0) return null;
  return (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim();
}

/**
 * What the server's log says of its patches (layers.js reports them on stderr): targets patched but never
 * run in the scenarios measured, and removed code that still ran.
 */
function patchProblems(server, scenarioIds) {
  let text = '';
  try {
    text = fs.readFileSync(server.logFile, 'utf8');
  } catch (error) {
    return [`cannot read ${server.logFile}: ${error.message}`];
  }
  const patched = new Map();
  const ran = new Set();
  const problems = [];
  for (const line of text.split('\n')) {
    const match = /^bench-ablate: \S+ (patched|ran|UNEXPECTED) (.+?)(?: \[([\w,-]+)\])?$/.exec(line);
    if (!match) continue;
    const [, verb, what, tags] = match;
    if (verb === 'patched') patched.set(what, tags ? tags.split(',') : null);
    else if (verb === 'ran') ran.add(what);
    else problems.push(`${what}: the patch did not take it off the request path`);
  }
  if (!text.includes(`bench-ablate: ${server.env.BENCH_ABLATE} applied`)) problems.push('the preload did not report the patch applied');
  for (const [what, tags] of patched) {
    const expected = tags === null || tags.some((tag) => scenarioIds.includes(tag));
    if (expected && !ran.has(what))
      problems.push(`patched ${what} never ran: the library no longer goes through it (update bench/ablate/layers.js)`);
  }
  return problems;
}

async function startFresh(ctx, def) {
  const server = await startServer(def, {
    cpu: ctx.opts.serverCpu,
    env: ctx.env,
    logDir: ctx.logDir,
    readyTimeoutMs: 20_000,
    settleMs: 200,
    extraNodeFlags: ctx.settings.nodeFlags,
  });
  ctx.progress(
    server.available ? `ablation: ${def.label} ready in ${server.bootMs} ms` : `ablation: ${def.label} unavailable: ${server.reason}`,
  );
  return server;
}

/**
 * Discarded 1 s rounds until the server has answered `warmupRequests` on this route, or `warmupSec` passed:
 * a count rather than a time, because a cold server is slow (and slower still when the machine is busy).
 */
async function warmUp(ctx, server, scenario, what) {
  const { settings, measure } = ctx;
  let answered = 0;
  for (let round = 0; answered < settings.warmupRequests && round < settings.warmupSec; round++) {
    const run = await measure(server, scenario, 1, `${what} (${answered}/${settings.warmupRequests} requests)`, {
      poolFloor: ABLATION_POOL_FLOOR,
    });
    if (!run.result) return;
    answered += run.result.responses;
  }
}

/**
 * Rounds of one scenario: full, v1, full, v2, full, ... per pass, the variants rotated each pass. Each
 * variant round comes right after that variant's warm-up (the full count in the first pass, one discarded
 * second in the later ones): a server left idle while the others are measured is slow again for its next
 * thousands of requests (V8 drops compiled code of an idle process), and the full server never idles.
 */
async function interleave(ctx, adapter, scenario, full, variants) {
  const { settings, measure } = ctx;
  const perPass = 2 * variants.length + 1;
  const passes = [];
  for (let pass = 0; pass < settings.passes; pass++) {
    const sequence = [];
    const label = () => `ablation ${adapter} pass ${pass + 1}/${settings.passes} [${sequence.length + 1}/${perPass}]`;
    const round = async (id, server) => {
      sequence.push({ id, run: await measure(server, scenario, settings.durationSec, label(), { poolFloor: ABLATION_POOL_FLOOR }) });
    };
    await round('full', full);
    for (const variant of rotate(variants, pass)) {
      if (pass === 0) await warmUp(ctx, variant.server, scenario, `ablation ${adapter} warm-up`);
      else await measure(variant.server, scenario, 1, `${label()} re-warm`, { poolFloor: ABLATION_POOL_FLOOR });
      await round(variant.id, variant.server);
      await round('full', full);
    }
    passes.push(sequence);
  }
  return passes;
}

/** Per pass, `measure(full) - measure(variant)` against the mean of the full rounds on either side (reversed when added). */
function costsOf(variant, passes, measure) {
  const costs = [];
  for (const sequence of passes) {
    sequence.forEach((entry, i) => {
      if (entry.id !== variant.id) return;
      const fullUs = mean([measure(sequence[i - 1]?.run), measure(sequence[i + 1]?.run)]);
      const offUs = measure(entry.run);
      if (fullUs === null || offUs === null) return;
      costs.push(variant.kind === 'added' ? offUs - fullUs : fullUs - offUs);
    });
  }
  return costs;
}

/** What makes a set of rounds untrustworthy: non-2xx answers, socket errors, failed or starved rounds. */
function runChecks(runs) {
  const answered = runs.filter((r) => r.result);
  const codes = {};
  for (const r of answered) for (const [code, n] of Object.entries(r.result.statusCodes)) codes[code] = (codes[code] ?? 0) + n;
  return [
    ...checks(
      answered.map((r) => r.result),
      runs.filter((r) => r.error).map((r) => r.error),
      codes,
    ),
    ...starvedNote(runs),
  ];
}

/** One variant's row: its costs (from req/s and from server CPU time) per pass. */
function variantRow(variant, passes) {
  const runs = passes
    .flat()
    .filter((e) => e.id === variant.id)
    .map((e) => e.run);
  const costs = costsOf(variant, passes, usPerRequest);
  const cpuCosts = costsOf(variant, passes, cpuUsPerRequest);
  const results = runs.filter(usable).map((r) => r.result);
  const spread = range(costs);
  const cpuSpread = range(cpuCosts);
  return {
    variant: variant.id,
    label: variant.label,
    kind: variant.kind,
    reqPerSec: median(results.map((r) => r.reqPerSec)),
    costUs: round1(median(costs)),
    costMinUs: round1(spread?.min),
    costMaxUs: round1(spread?.max),
    costsUs: costs.map(round1),
    cpuCostUs: round1(median(cpuCosts)),
    cpuCostMinUs: round1(cpuSpread?.min),
    cpuCostMaxUs: round1(cpuSpread?.max),
    checks: runChecks(runs),
  };
}

function fullSummary(passes) {
  const runs = passes
    .flat()
    .filter((e) => e.id === 'full')
    .map((e) => e.run);
  const results = runs.filter(usable).map((r) => r.result);
  const us = runs.map(usPerRequest).filter((v) => v !== null);
  const cpuUs = runs.map(cpuUsPerRequest).filter((v) => v !== null);
  const spread = range(us);
  const cpuSpread = range(cpuUs);
  return {
    rounds: results.length,
    reqPerSec: median(results.map((r) => r.reqPerSec)),
    usPerRequest: round1(median(us)),
    usMin: round1(spread?.min),
    usMax: round1(spread?.max),
    cpuUsPerRequest: round1(median(cpuUs)),
    cpuUsMin: round1(cpuSpread?.min),
    cpuUsMax: round1(cpuSpread?.max),
    checks: runChecks(runs),
  };
}

/** Summary of one profiled round: busy µs per request, then µs and share per category and per self-time group. */
function profileSummary(window) {
  const share = (us) => ({
    pct: window.busyUs > 0 ? round1((100 * us) / window.busyUs) : null,
    usPerRequest: window.requests ? round1(us / window.requests) : null,
  });
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    requests: window.requests,
    samples: window.samples,
    busyUsPerRequest: window.requests ? round1(window.busyUs / window.requests) : null,
    categories: Object.fromEntries(sorted(window.categories).map(([id, us]) => [id, share(us)])),
    topSelf: sorted(window.self)
      .slice(0, 10)
      .map(([group, us]) => ({ group, ...share(us) })),
  };
}

/** One server of the full configuration under --cpu-prof: a warm-up and a profiled round per scenario. */
async function profileAdapter(ctx, fullDef, plan) {
  const { settings, measure, progress } = ctx;
  const dir = fs.mkdtempSync(path.join(ctx.logDir, `cpu-profile-${fullDef.adapter}-`));
  const def = {
    ...fullDef,
    name: `${fullDef.name}-profiled`,
    label: `ours (${fullDef.adapter}, --cpu-prof)`,
    nodeFlags: [...fullDef.nodeFlags, '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`],
  };
  const server = await startServer(def, {
    cpu: ctx.opts.serverCpu,
    env: ctx.env,
    logDir: ctx.logDir,
    readyTimeoutMs: 20_000,
    settleMs: 200,
    extraNodeFlags: ctx.settings.nodeFlags,
  });
  if (!server.available) return { error: `profiled server unavailable: ${server.reason}` };
  const windows = [];
  try {
    for (const scenario of plan) {
      await warmUp(ctx, server, scenario, `profile ${fullDef.adapter} warm-up`);
      const run = await measure(server, scenario, settings.profileDurationSec, `profile ${fullDef.adapter}`, {
        poolFloor: ABLATION_POOL_FLOOR,
      });
      if (run.result)
        windows.push({
          key: scenario.id,
          startUs: run.result.loadStartMonoUs,
          endUs: run.result.loadEndMonoUs,
          requests: run.result.responses,
        });
    }
  } finally {
    // The profile is written when the process exits: SIGTERM runs Nest's shutdown hooks, then it exits.
    await stopServer(server, 15_000);
  }
  let profile;
  try {
    profile = readProfile(findProfile(dir));
  } catch (error) {
    return { error: error.message };
  }
  const outside = windows.filter((w) => w.startUs < profile.startTime || w.endUs > profile.endTime);
  if (outside.length)
    return { error: "the profile's clock does not cover the load rounds (is the profile's clock the monotonic clock here?)" };
  const classify = createClassifier(LAYERS, DIST);
  const byWindow = attribute(profile, windows, classify, DIST);
  if (!ctx.keepProfiles) fs.rmSync(dir, { recursive: true, force: true });
  else progress(`ablation: CPU profile of ${fullDef.adapter} kept in ${dir}`);
  return { dir: ctx.keepProfiles ? dir : null, scenarios: Object.fromEntries([...byWindow].map(([key, w]) => [key, profileSummary(w)])) };
}

/** The profile share of a variant: its layer's own, plus the layers that run inside it; ours entirely for bare. */
function profileShareOf(variant, profile) {
  if (!profile) return null;
  const ids = variant.bare
    ? [...LAYERS.map((l) => l.id), OURS_OTHER, LOG_OUTPUT]
    : variant.layer
      ? [variant.id, ...(variant.includes ?? [])]
      : null;
  if (!ids) return null;
  const parts = ids.map((id) => profile.categories[id]).filter(Boolean);
  return {
    pct: round1(parts.reduce((n, p) => n + (p.pct ?? 0), 0)),
    usPerRequest: round1(parts.reduce((n, p) => n + (p.usPerRequest ?? 0), 0)),
  };
}

async function ablateAdapter(ctx, adapter, plan, variantIds) {
  const defs = serverDefinitions();
  const fullDef = defs.find((d) => d.name === adapter);
  const bareDef = defs.find((d) => d.name === `bare-${adapter}`);
  const chosen = variantIds.map(variantOf).filter((v) => plan.some((s) => v.appliesTo(adapter, s.id)));
  const owned = [];
  const out = { adapter, servers: [], scenarios: [], profile: null };
  const describeServer = (variant, server) => ({
    variant,
    name: server.name,
    label: server.label,
    available: server.available,
    reason: server.reason,
  });
  try {
    // Every configuration fresh, so that all of them have the same history when measured (a server that
    // served other routes, or more requests, runs the same code at another speed).
    const full = await startFresh(ctx, fullDef);
    owned.push(full);
    out.servers.push(describeServer('full', full));
    if (!full.available) return { ...out, error: `${fullDef.label} unavailable: ${full.reason}` };
    const variants = [];
    for (const variant of chosen) {
      const server = await startFresh(ctx, variantDefinition(variant, fullDef, bareDef));
      owned.push(server);
      out.servers.push(describeServer(variant.id, server));
      variants.push({ ...variant, server, available: server.available });
    }
    for (const scenario of plan) {
      const here = variants.filter((v) => v.available && v.appliesTo(adapter, scenario.id));
      if (here.length === 0) continue;
      // The full server is measured every other round from here on: it stays warm.
      await warmUp(ctx, full, scenario, `ablation ${adapter} warm-up`);
      const passes = await interleave(ctx, adapter, scenario, full, here);
      out.scenarios.push({
        id: scenario.id,
        label: scenario.label,
        full: fullSummary(passes),
        rows: here.map((v) => variantRow(v, passes)),
        skipped: chosen.filter((v) => !v.appliesTo(adapter, scenario.id)).map((v) => v.id),
        unavailable: variants.filter((v) => !v.available && v.appliesTo(adapter, scenario.id)).map((v) => v.id),
      });
    }
    const measured = plan.map((s) => s.id);
    for (const variant of variants.filter((v) => v.layer && v.available)) {
      const problems = patchProblems(
        variant.server,
        measured.filter((id) => variant.appliesTo(adapter, id)),
      );
      for (const scenario of out.scenarios) {
        const row = scenario.rows.find((r) => r.variant === variant.id);
        if (row && problems.length) row.patchProblems = problems;
      }
    }
  } finally {
    await Promise.all(owned.map((s) => stopServer(s)));
  }
  if (ctx.settings.profile) {
    out.profile = await profileAdapter(ctx, fullDef, plan);
    for (const scenario of out.scenarios) {
      const profile = out.profile.scenarios?.[scenario.id];
      for (const row of scenario.rows) row.profile = profileShareOf(variantOf(row.variant), profile);
    }
  }
  return out;
}

/**
 * @param {{ settings: object, opts: object, env: object, logDir: string, measure: Function, progress: Function,
 *   keepProfiles?: boolean }} ctx
 */
async function runAblation(ctx) {
  const { settings, opts, progress } = ctx;
  const adapters = ['express', 'fastify'].filter((a) => opts.servers.includes(a));
  if (adapters.length === 0) return { status: 'skipped', reason: 'BENCH_SERVERS selects none of our servers', settings };
  const plan = scenarios({ rate: opts.rate }).filter((s) => settings.scenarios.includes(s.id) && !s.rate);
  const layerIds = settings.layers.filter((id) => LAYERS.some((l) => l.id === id));
  const problem = checkPatches(layerIds);
  if (problem) return { status: 'failed', reason: problem, settings };
  progress(
    `ablation (${settings.mode}): ${settings.layers.join(', ')} on ${adapters.join(', ')}; ${settings.passes} pass(es) x ${settings.durationSec} s`,
  );
  const out = { status: 'ok', reason: null, settings, node: process.version, adapters: [] };
  for (const adapter of adapters) out.adapters.push(await ablateAdapter(ctx, adapter, plan, settings.layers));
  return out;
}

module.exports = { runAblation };
