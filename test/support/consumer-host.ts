import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TEMPLATE = join(ROOT, 'test', 'fixtures', 'consumer-host');
const OUTPUT_LIMIT = 64 * 1024;

export interface RunResult {
  ok: boolean;
  code: number | null;
  timedOut: boolean;
  ms: number;
  output: string;
}

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a command in its own process group and kills the group (by the child's pid) when it outlives
 * `timeoutMs`. Never rejects: a spawn error, a non-zero exit or a timeout is `ok: false` with the output.
 */
export function runBounded(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
    };
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, options.timeoutMs);
    const finish = (code: number | null, error?: Error): void => {
      clearTimeout(timer);
      if (error) output += `\n${error.message}`;
      if (timedOut) output += `\n[killed after ${options.timeoutMs} ms]`;
      resolve({ ok: code === 0 && !timedOut && !error, code, timedOut, ms: Date.now() - started, output });
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
  });
}

/** `npm pack` of the repository into `destination` (its prepack build runs), with npm's list of the files. */
export async function packRepository(
  destination: string,
  timeoutMs: number,
): Promise<{ run: RunResult; tarball: string; files: string[] }> {
  const run = await runBounded('npm', ['pack', '--json', '--pack-destination', destination], { cwd: ROOT, timeoutMs, env: childEnv() });
  if (!run.ok) return { run, tarball: '', files: [] };
  // The prepack build writes to stderr; stdout ends with npm's JSON report.
  try {
    const report = JSON.parse(run.output.slice(run.output.lastIndexOf('\n[\n') + 1)) as { filename: string; files: { path: string }[] }[];
    const packed = report[0];
    if (packed) return { run, tarball: join(destination, packed.filename), files: packed.files.map((file) => file.path) };
  } catch {
    // Reported below with the output.
  }
  return { run: { ...run, ok: false, output: `${run.output}\n[no JSON report from npm pack]` }, tarball: '', files: [] };
}

/**
 * The environment for a host's commands: ours without npm's lifecycle variables (they point at this
 * repository), with `node` of `nodeBinary` first on the PATH and no `node_modules/.bin` of ours.
 */
export function childEnv(nodeBinary?: string): NodeJS.ProcessEnv {
  const kept = ['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'];
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_') || kept.includes(name)) env[name] = value;
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '' && !entry.includes('node_modules'));
  env.PATH = [dirname(nodeBinary ?? process.execPath), ...path].join(delimiter);
  return env;
}

export type HostPlatform = 'express' | 'fastify';
/** How the host compiles: CommonJS with Node 10 resolution (`typesVersions`), CommonJS or ESM with `nodenext` (`exports`). */
export type HostModuleSystem = 'commonjs-node10' | 'commonjs-nodenext' | 'esm-nodenext';

export interface HostSpec {
  name: string;
  platform: HostPlatform;
  moduleSystem: HostModuleSystem;
  /** Exact versions of the host's own dependencies; nest-livekit is added to them from the tarball. */
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** Node version to install, compile and run with (scripts/node-runtime.sh); the suite's own Node when absent. */
  node?: string;
  /** Also compile and check our optional-peer entry points (`extras/operations.module.ts`). */
  operations?: boolean;
}

const COMPILER_OPTIONS = {
  strict: true,
  skipLibCheck: false,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  target: 'ES2022',
  // A Node app: no lib.dom.d.ts to load and check.
  lib: ['ES2022'],
  rootDir: '.',
  outDir: 'dist',
  types: ['node'],
  forceConsistentCasingInFileNames: true,
};

const MODULE_OPTIONS: Record<HostModuleSystem, Record<string, string>> = {
  'commonjs-node10': { module: 'commonjs', moduleResolution: 'node' },
  'commonjs-nodenext': { module: 'nodenext', moduleResolution: 'nodenext' },
  'esm-nodenext': { module: 'nodenext', moduleResolution: 'nodenext' },
};

/** Writes the host app (template sources, its package.json without nest-livekit yet, and tsconfig) into `dir`. */
export function writeHost(dir: string, spec: HostSpec): void {
  mkdirSync(dir, { recursive: true });
  cpSync(join(TEMPLATE, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(TEMPLATE, 'test'), join(dir, 'test'), { recursive: true });
  cpSync(join(TEMPLATE, 'platforms', `${spec.platform}.ts`), join(dir, 'src', 'create-app.ts'));
  if (spec.operations) cpSync(join(TEMPLATE, 'extras', 'operations.module.ts'), join(dir, 'src', 'operations.module.ts'));
  for (const script of ['host-check.mjs', 'require-probe.cjs']) cpSync(join(TEMPLATE, script), join(dir, script));
  const pkg = {
    name: `consumer-${spec.name}`,
    version: '1.0.0',
    private: true,
    ...(spec.moduleSystem === 'esm-nodenext' ? { type: 'module' } : {}),
    dependencies: spec.dependencies,
    devDependencies: spec.devDependencies,
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const tsconfig = {
    compilerOptions: { ...COMPILER_OPTIONS, ...MODULE_OPTIONS[spec.moduleSystem] },
    include: ['src/**/*.ts', 'test/**/*.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
}

export interface HostCheck {
  name: string;
  ok: boolean;
  detail: unknown;
}

/** The `CHECK {json}` lines of the host's check script. */
export function parseChecks(output: string): HostCheck[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('CHECK '))
    .map((line) => JSON.parse(line.slice('CHECK '.length)) as HostCheck);
}

/** Runs `items` through `task`, at most `limit` at a time. */
export async function inPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
