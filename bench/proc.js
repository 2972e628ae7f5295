'use strict';
/** Figures of a running process read from /proc (Linux). Both return null once the process is gone. */
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** Resident set size (VmRSS) in kB. */
function readRssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU time used so far (user + system, all threads), in seconds. */
function readCpuSeconds(pid) {
  try {
    // After the parenthesised command name, utime and stime are the 12th and 13th fields.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

module.exports = { readRssKb, readCpuSeconds };
