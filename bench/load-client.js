'use strict';
/**
 * The orchestrator's side of bench/load.js: one worker process pinned to the load CPU, fed one job
 * at a time over IPC. A job that overruns its deadline kills the worker; the next job starts a new one.
 * `runLoad` runs one job against a server while sampling the server's RSS.
 */
const path = require('node:path');
const { spawnPinned, stopChild, isRunning } = require('./children');
const { readRssKb } = require('./proc');

const RSS_SAMPLE_MS = 100;

function createLoadClient(cpu) {
  let worker = null;
  let seq = 0;

  function start() {
    const child = spawnPinned(cpu, process.execPath, [path.join(__dirname, 'load.js')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('error', () => {});
    return child;
  }

  /** Resolves with the job's figures; rejects on a worker error, crash or `timeoutMs` overrun. */
  function run(job, timeoutMs) {
    if (!worker || !isRunning(worker)) worker = start();
    const child = worker;
    const id = ++seq;
    return new Promise((resolve, reject) => {
      const finish = (settle, value) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        settle(value);
      };
      const onMessage = (message) => {
        if (message?.id !== id) return;
        if (message.error) finish(reject, new Error(message.error.split('\n')[0]));
        else finish(resolve, message.result);
      };
      const onExit = (code, signal) => finish(reject, new Error(`load worker exited (${code ?? signal})`));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        if (worker === child) worker = null; // the next job starts a fresh worker
        finish(reject, new Error(`load round overran ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      try {
        child.send({ id, job });
      } catch (error) {
        finish(reject, error);
      }
    });
  }

  async function close() {
    if (worker) {
      if (worker.connected) worker.disconnect();
      await stopChild(worker, 1000);
    }
  }

  return { run, close };
}

/** One load round while sampling the server's RSS; never throws (a failed round carries `error`). */
async function runLoad(load, server, scenario, job) {
  const run = { server: server.name, scenario: scenario.id, maxRssKb: readRssKb(server.pid), result: null, error: null };
  if (!isRunning(server.child)) return { ...run, error: 'server process has exited' };
  const sampler = setInterval(() => (run.maxRssKb = Math.max(run.maxRssKb ?? 0, readRssKb(server.pid) ?? 0)), RSS_SAMPLE_MS);
  try {
    // Bounded: the round itself, signing the webhook pool, and a margin.
    run.result = await load.run(job, (job.duration + 60) * 1000);
  } catch (error) {
    run.error = error.message;
  } finally {
    clearInterval(sampler);
  }
  return run;
}

module.exports = { createLoadClient, runLoad };
