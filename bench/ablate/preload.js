'use strict';
/**
 * Preload of an ablated server: `BENCH_ABLATE=<layer> node -r bench/ablate/preload.js dist/server/main.js`
 * turns that one layer off (bench/ablate/layers.js) before the app is loaded. The product has no such
 * switch: only this bench file patches the compiled modules, in the bench's own server processes.
 * A missing or unknown layer, or a patch whose target is gone, stops the process before the app boots.
 *
 * `node bench/ablate/preload.js --check [layer...]` applies the patches (all, or those named) in a
 * throwaway process and prints what failed: bench/ablation.js runs it before starting any server.
 */
const { LAYERS, DIST, applyLayer } = require('./layers');

const report = (message) => process.stderr.write(`bench-ablate: ${message}\n`);

function check(ids) {
  const problems = [];
  for (const id of ids.length ? ids : LAYERS.map((l) => l.id)) {
    for (const adapter of ['express', 'fastify']) {
      // Fresh dist modules for each application, as in a server of its own.
      for (const file of Object.keys(require.cache)) if (file.startsWith(DIST)) delete require.cache[file];
      try {
        applyLayer(id, { adapter, report: () => {} });
      } catch (error) {
        problems.push(`${error.message} [${adapter}]`);
      }
    }
  }
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  process.exitCode = problems.length ? 1 : 0;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] !== '--check') {
    process.stderr.write('usage: node bench/ablate/preload.js --check [layer...]  (as a preload: node -r ... with BENCH_ABLATE)\n');
    process.exitCode = 2;
  } else {
    check(args.slice(1));
  }
} else {
  const id = process.env.BENCH_ABLATE;
  if (!id) throw new Error('bench/ablate/preload.js is preloaded without BENCH_ABLATE=<layer>');
  applyLayer(id, { adapter: process.env.HTTP_ADAPTER || 'express', report });
  report(`${id} applied`);
}
