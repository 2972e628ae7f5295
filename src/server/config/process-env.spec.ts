import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * In a child process, run in `cwd`: `process.loadEnvFile` writes the real environment, which Jest's
 * sandboxed `process.env` does not show.
 */
function loadIn(cwd: string, env: Record<string, string>): Record<string, string | undefined> {
  const script = `const e = require(${JSON.stringify(join(__dirname, 'process-env'))}).loadProcessEnv();
    process.stdout.write(JSON.stringify({ same: e === process.env, file: e.SPEC_FROM_FILE, set: e.SPEC_SET }));`;
  const out = execFileSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(__dirname, '..', '..', '..', 'tsconfig.json'), ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, string | undefined>;
}

describe('loadProcessEnv', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'process-env-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fills in from ./.env what the environment does not set, and returns process.env', () => {
    writeFileSync(join(dir, '.env'), 'SPEC_FROM_FILE=from-file\nSPEC_SET=from-file\n');
    expect(loadIn(dir, { SPEC_SET: 'from-environment' })).toEqual({ same: true, file: 'from-file', set: 'from-environment' });
  });

  it('works without a .env file', () => {
    expect(loadIn(dir, {})).toEqual({ same: true });
  });
});
