'use strict';
/**
 * Child processes of the bench: spawned pinned to one CPU with `taskset`, tracked, and all killed
 * when the bench exits, fails or is interrupted.
 */
const { spawn, spawnSync } = require('node:child_process');

const live = new Set();

/** `taskset -c <cpu> <command...>`; taskset execs the command, so `child.pid` is the command's pid. */
function spawnPinned(cpu, command, args, options) {
  const child = spawn('taskset', ['-c', String(cpu), command, ...args], options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone (or, bounded, a second later). */
async function stopChild(child, graceMs = 2000) {
  if (!isRunning(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(graceMs)]);
  if (isRunning(child)) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(1000)]);
  }
}

function killAllNow() {
  for (const child of live) {
    if (isRunning(child)) child.kill('SIGKILL');
  }
}

/** Kill every child on exit, SIGINT/SIGTERM/SIGHUP and uncaught errors. */
function installExitHandlers() {
  process.once('exit', killAllNow);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping child processes\n`);
      killAllNow();
      process.exit(code);
    });
  }
  process.once('uncaughtException', (error) => {
    process.stderr.write(`bench: ${error.stack ?? error}\n`);
    killAllNow();
    process.exit(1);
  });
}

/** Fails with a clear message when `taskset` is missing or a CPU id is not usable here. */
function assertPinnable(cpus) {
  for (const cpu of cpus) {
    const probe = spawnSync('taskset', ['-c', String(cpu), 'true'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      const why = probe.error ? probe.error.message : probe.stderr.trim();
      throw new Error(`cannot pin to CPU ${cpu} with taskset (${why}); set BENCH_SERVER_CPU / BENCH_LOAD_CPU to CPUs of this machine`);
    }
  }
}

/** Moves this process (all its threads) to `cpu`, off the CPU the servers use. */
function pinSelf(cpu) {
  spawnSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

module.exports = { spawnPinned, stopChild, isRunning, installExitHandlers, assertPinnable, pinSelf };
