'use strict';
/**
 * Reads a V8 CPU profile of our server (`node --cpu-prof`) and charges its samples to the layers of
 * bench/ablate/layers.js, within time windows (the load rounds; the profile's clock is the monotonic
 * clock of `process.hrtime`, which load.js reports as `loadStartMonoUs`/`loadEndMonoUs`).
 *
 * Each busy sample (not `(idle)`) is charged by walking its stack from the leaf upwards:
 * - the first frame in a layer's dist file claims it for that layer;
 * - a frame of the framework's dispatch (Express, router, @nestjs/core, Fastify, find-my-way, avvio,
 *   node:_http_*) met before any layer frame ends the walk;
 * - other libraries are transparent (their time goes to the layer that called them); when the walk
 *   ends without a layer, a library owned by one layer (class-validator for the validation pipe,
 *   prom-client for telemetry, raw-body for body reading...: `profile.packages`) still charges it, as
 *   async continuations have no caller frame above them;
 * - pino's asynchronous writes (sonic-boom, called back by the fs module) are "log output": the request
 *   and event lines (and any other log line), which no stack tells apart;
 * - otherwise a frame of our other dist files, or of the SDK work every server does (jose,
 *   livekit-server-sdk, protobuf), makes it "ours, outside these layers"; `(garbage collector)` is GC;
 *   the rest is "framework/Node".
 */
const fs = require('node:fs');
const path = require('node:path');

const FRAMEWORK_PACKAGES = new Set([
  'express',
  'router',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'fastify',
  'find-my-way',
  'avvio',
]);
const CORE_PACKAGES = new Set(['jose', 'livekit-server-sdk', '@bufbuild/protobuf', '@livekit/protocol']);
const OURS_OTHER = 'ours-other';
const FRAMEWORK = 'framework';
const GC = 'gc';
/** pino's destination writes log lines asynchronously (sonic-boom): no caller tells whose line it is. */
const LOG_OUTPUT = 'log-output';
const SHARED_OWNERS = new Map([['sonic-boom', LOG_OUTPUT]]);

/** `@scope/name` or `name` of the package a script URL is in (the innermost node_modules), else null. */
function packageOf(url) {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const parts = url.slice(at + '/node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** `dist/…` path of one of our compiled files, else null. */
function distFileOf(url, distDir) {
  const file = url.startsWith('file://') ? url.slice('file://'.length) : url;
  return file.startsWith(distDir + path.sep) ? path.relative(distDir, file).split(path.sep).join('/') : null;
}

/**
 * @param {Array<{ id: string, profile: { files: string[], packages?: string[] } }>} layers
 * @param {string} distDir absolute path of dist/
 */
function createClassifier(layers, distDir) {
  const byFile = new Map();
  const byPackage = new Map();
  for (const layer of layers) {
    for (const file of layer.profile.files) byFile.set(file, layer.id);
    for (const pkg of layer.profile.packages ?? []) byPackage.set(pkg, layer.id);
  }
  const cache = new Map();
  /** What one frame is: { layer } | { owner } | { framework } | { ours } | {} (transparent). */
  return function classify(url) {
    let kind = cache.get(url);
    if (kind) return kind;
    const dist = distFileOf(url, distDir);
    const pkg = dist ? null : packageOf(url);
    if (dist) kind = byFile.has(dist) ? { layer: byFile.get(dist) } : { ours: true };
    else if (url.startsWith('node:_http_') || FRAMEWORK_PACKAGES.has(pkg)) kind = { framework: true };
    else if (byPackage.has(pkg)) kind = { owner: byPackage.get(pkg) };
    else if (SHARED_OWNERS.has(pkg)) kind = { owner: SHARED_OWNERS.get(pkg) };
    else if (CORE_PACKAGES.has(pkg)) kind = { ours: true };
    else kind = {};
    cache.set(url, kind);
    return kind;
  };
}

/** Self-time group of a frame: its package, "ours (dist)", "node (JS core)", or V8's pseudo frames. */
function selfGroup(frame, distDir) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native / V8 builtins)';
  if (distFileOf(url, distDir)) return 'ours (dist/)';
  if (url.startsWith('node:')) return 'node (JS core)';
  return packageOf(url) ?? url;
}

function readProfile(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * @param {object} profile a parsed .cpuprofile
 * @param {Array<{ key: string, startUs: number, endUs: number, requests: number }>} windows
 * @returns {Map<string, { busyUs: number, requests: number, samples: number, categories: Map<string, number>, self: Map<string, number> }>}
 *   per window key: busy CPU µs, and µs per category (layer id, 'ours-other', 'framework', 'gc') and per self group
 */
function attribute(profile, windows, classify, distDir) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const categoryOf = new Map(); // node id -> category, the same for every sample of that node
  const categorize = (id) => {
    let category = categoryOf.get(id);
    if (category) return category;
    let owner = null;
    let ours = false;
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const kind = classify(nodes.get(at).callFrame.url ?? '');
      if (kind.layer) {
        category = kind.layer;
        break;
      }
      if (kind.framework) break;
      owner ??= kind.owner ?? null;
      ours ||= kind.ours === true;
    }
    category ??= owner ?? (ours ? OURS_OTHER : nodes.get(id).callFrame.functionName === '(garbage collector)' ? GC : FRAMEWORK);
    categoryOf.set(id, category);
    return category;
  };
  const out = new Map(windows.map((w) => [w.key, { busyUs: 0, requests: w.requests, samples: 0, categories: new Map(), self: new Map() }]));
  const sorted = [...windows].sort((a, b) => a.startUs - b.startUs);
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time up to the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const window = sorted.find((w) => t >= w.startUs && t < w.endUs);
    if (!window) continue;
    const node = nodes.get(profile.samples[i]);
    if (node.callFrame.functionName === '(idle)') continue;
    const acc = out.get(window.key);
    acc.busyUs += dt;
    acc.samples += 1;
    const category = categorize(node.id);
    acc.categories.set(category, (acc.categories.get(category) ?? 0) + dt);
    const group = selfGroup(node.callFrame, distDir);
    acc.self.set(group, (acc.self.get(group) ?? 0) + dt);
  }
  return out;
}

/** The one .cpuprofile file `node --cpu-prof --cpu-prof-dir=<dir>` wrote, or an error saying why there is none. */
function findProfile(dir) {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length !== 1) throw new Error(`expected one .cpuprofile in ${dir}, found ${files.length} (was the server stopped by SIGTERM?)`);
  return path.join(dir, files[0]);
}

module.exports = { createClassifier, attribute, readProfile, findProfile, OURS_OTHER, FRAMEWORK, GC, LOG_OUTPUT };
