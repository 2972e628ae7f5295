import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/**
 * Real Chromium for the browser suites: Debian's `chromium` package, installed by `scripts/chromium.sh`
 * when missing (apt-get), driven by playwright-core. There is no skip: without a browser the suite fails,
 * locally and under CI alike.
 */

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'chromium.sh');
/** `apt-get update && apt-get install chromium` on a slow mirror. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

let resolved: string | undefined;

/** The path of the Chromium binary; installs the package on first use. Throws with the script's reason. */
export function chromiumBinary(): string {
  if (resolved) return resolved;
  const result = spawnSync('bash', [SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (result.error) throw new Error(`could not run ${SCRIPT}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${SCRIPT} exited with ${result.status ?? result.signal}: Chromium is required for the browser suite`);
  const path = result.stdout.trim().split('\n').pop()?.trim() ?? '';
  accessSync(path, constants.X_OK);
  resolved = path;
  return path;
}

/** Launches headless Chromium (without its sandbox when running as root, where Chromium refuses it). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumBinary(),
    headless: true,
    chromiumSandbox: process.getuid?.() !== 0,
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    timeout: 60_000,
  });
}
