'use strict';
/**
 * The servers under test: definitions, start (pinned, on a free 127.0.0.1 port), readiness,
 * boot-to-ready time, idle RSS, stop.
 */
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { spawnPinned, stopChild, isRunning } = require('./children');
const { readRssKb } = require('./proc');

const ROOT = path.join(__dirname, '..');
const OURS = path.join(ROOT, 'dist', 'server', 'main.js');
const BARE_NEST = path.join(__dirname, 'bare-nest.js');

/** The Node flags `npm start` gives our server (package.json), so that the bench runs what users run. */
function startScriptNodeFlags() {
  const start = require(path.join(ROOT, 'package.json')).scripts.start;
  const words = start.trim().split(/\s+/);
  if (words[0] !== 'node' || words[words.length - 1] !== 'dist/server/main.js')
    throw new Error(`package.json "start" is not "node [flags] dist/server/main.js": ${start}`);
  return words.slice(1, -1);
}

function serverDefinitions() {
  return [
    { name: 'baseline', label: 'baseline (tutorial)', entry: path.join(__dirname, 'baseline-tutorial.js'), env: {}, baseline: true },
    ...['express', 'fastify'].map((adapter) => ({
      name: `bare-${adapter}`,
      label: `bare Nest (${adapter})`,
      entry: BARE_NEST,
      // Same runtime flags as ours, so that the ratio between the two is the cost of our layers alone.
      nodeFlags: startScriptNodeFlags(),
      env: { HTTP_ADAPTER: adapter },
      adapter,
      bare: true,
    })),
    ...['express', 'fastify'].map((adapter) => ({
      name: adapter,
      label: `ours (${adapter})`,
      entry: OURS,
      nodeFlags: startScriptNodeFlags(),
      env: { HTTP_ADAPTER: adapter },
      adapter,
    })),
  ];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Status code of one `POST /token` on a fresh connection, or 0 when nothing answered. */
function probeToken(port) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ roomName: 'bench-ready', participantName: 'bench-ready' });
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/token',
        method: 'POST',
        agent: false,
        timeout: 500,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function logTail(file, lines = 8) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts `def` pinned to `cpu` (with `extraNodeFlags` after its own) and waits until `POST /token` answers 2xx (at most `readyTimeoutMs`),
 * then lets it settle and reads its idle RSS. Never throws: a server that cannot start comes back
 * with `available: false` and the reason.
 */
async function startServer(def, { cpu, env, logDir, readyTimeoutMs, settleMs, extraNodeFlags = [] }) {
  const server = { ...def, available: false, reason: null, bootMs: null, idleRssKb: null, pid: null, port: null, child: null };
  if (!fs.existsSync(def.entry)) {
    server.reason = `${path.relative(ROOT, def.entry)} not found (run npm run build)`;
    return server;
  }
  server.port = await freePort();
  server.logFile = path.join(logDir, `${def.name}.log`);
  const log = fs.openSync(server.logFile, 'w');
  const started = performance.now();
  // cwd is the scratch directory so a developer's .env in the repository cannot change the setup.
  const child = spawnPinned(cpu, process.execPath, [...(def.nodeFlags ?? []), ...extraNodeFlags, def.entry], {
    cwd: logDir,
    env: { ...env, ...def.env, SERVER_PORT: String(server.port) },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  server.child = child;
  server.pid = child.pid;
  let spawnError = null;
  child.once('error', (error) => (spawnError = error));

  let lastStatus = 0;
  const deadline = started + readyTimeoutMs;
  while (performance.now() < deadline && isRunning(child) && !spawnError) {
    lastStatus = await probeToken(server.port);
    if (lastStatus >= 200 && lastStatus < 300) {
      server.bootMs = Math.round(performance.now() - started);
      break;
    }
    await sleep(lastStatus === 0 ? 20 : 100);
  }
  if (server.bootMs === null) {
    const why = spawnError
      ? spawnError.message
      : !isRunning(child)
        ? `exited (code ${child.exitCode ?? child.signalCode})`
        : lastStatus
          ? `POST /token kept answering ${lastStatus}`
          : `not ready within ${readyTimeoutMs} ms`;
    server.reason = `${why} (log: ${server.logFile})`;
    server.logTail = logTail(server.logFile);
    await stopChild(child);
    return server;
  }
  await sleep(settleMs);
  server.idleRssKb = readRssKb(child.pid);
  server.available = server.idleRssKb !== null;
  if (!server.available) server.reason = 'exited after becoming ready';
  return server;
}

/** SIGTERM (the server's shutdown hooks run), then SIGKILL after `graceMs`. */
async function stopServer(server, graceMs) {
  if (server.child) await stopChild(server.child, graceMs);
}

module.exports = { serverDefinitions, startServer, stopServer };
