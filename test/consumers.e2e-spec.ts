import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type HostCheck,
  type HostSpec,
  type RunResult,
  childEnv,
  inPool,
  packRepository,
  parseChecks,
  runBounded,
  writeHost,
} from './support/consumer-host';

// The packed tarball installed from the registry into fresh host apps, each with its own node_modules
// outside this repository, compiled with its own TypeScript (strict, skipLibCheck: false) and run.
// KEEP_CONSUMER_HOSTS=1 keeps the temporary directories when something failed.

const REPO = join(__dirname, '..');
const PACK_TIMEOUT_MS = 240_000;
const INSTALL_TIMEOUT_MS = 300_000;
const COMPILE_TIMEOUT_MS = 180_000;
const RUN_TIMEOUT_MS = 60_000;
const CONCURRENCY = 2;
// Each child process has its own bound; a test runs at most a few of them one after another.
jest.setTimeout(5 * RUN_TIMEOUT_MS);
const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

const OPTIONAL_PEERS = ['@nestjs/swagger', '@nestjs/terminus', '@nestjs/throttler', 'bullmq', 'ioredis', 'prom-client'];
const NEST_11 = { '@nestjs/common': '11.2.10', '@nestjs/core': '11.2.10', 'reflect-metadata': '0.2.2', rxjs: '7.8.2' };
const VALIDATION = { 'class-validator': '0.15.1', 'class-transformer': '0.5.1' };
const TYPES_NODE_20 = { '@types/node': '20.19.43' };

const HOSTS: HostSpec[] = [
  {
    name: 'nest11-express',
    platform: 'express',
    moduleSystem: 'commonjs-nodenext',
    dependencies: { ...NEST_11, '@nestjs/platform-express': '11.2.10', ...VALIDATION },
    devDependencies: { typescript: '5.9.3', ...TYPES_NODE_20, '@types/express': '5.0.6' },
  },
  {
    // No class-validator / class-transformer of its own: npm installs our peers.
    name: 'nest11-fastify',
    platform: 'fastify',
    moduleSystem: 'commonjs-nodenext',
    dependencies: { ...NEST_11, '@nestjs/platform-fastify': '11.2.8' },
    devDependencies: { typescript: '5.9.3', ...TYPES_NODE_20 },
  },
  {
    name: 'nest10.4-express',
    platform: 'express',
    moduleSystem: 'commonjs-node10',
    dependencies: {
      '@nestjs/common': '10.4.22',
      '@nestjs/core': '10.4.22',
      '@nestjs/platform-express': '10.4.22',
      'class-validator': '0.14.4',
      'class-transformer': '0.5.1',
      'reflect-metadata': '0.1.14',
      rxjs: '7.8.1',
    },
    devDependencies: { typescript: '5.4.5', ...TYPES_NODE_20, '@types/express': '4.17.25' },
  },
  {
    // On Node 22, so that each maintained Node line runs a host.
    name: 'nest11.0-express',
    platform: 'express',
    moduleSystem: 'commonjs-nodenext',
    node: '22.23.5',
    dependencies: {
      '@nestjs/common': '11.0.21',
      '@nestjs/core': '11.0.21',
      '@nestjs/platform-express': '11.0.21',
      'class-validator': '0.14.1',
      'class-transformer': '0.5.1',
      'reflect-metadata': '0.2.2',
      rxjs: '7.8.1',
    },
    devDependencies: { typescript: '5.7.3', ...TYPES_NODE_20, '@types/express': '5.0.0' },
  },
  {
    // Nest 12's default project: ESM ("type": "module"), TypeScript 6, Node 24; with the optional peers'
    // Nest 12 releases (terminus and swagger 12 are ESM-only too).
    name: 'nest12-express-esm',
    platform: 'express',
    moduleSystem: 'esm-nodenext',
    node: '24.22.3',
    operations: true,
    dependencies: {
      '@nestjs/common': '12.5.1',
      '@nestjs/core': '12.5.1',
      '@nestjs/platform-express': '12.5.1',
      ...VALIDATION,
      'reflect-metadata': '0.2.2',
      rxjs: '7.8.2',
      '@nestjs/swagger': '12.0.2',
      '@nestjs/terminus': '12.1.0',
      '@nestjs/throttler': '6.7.1',
      bullmq: '6.7.0',
      ioredis: '6.0.0',
      'prom-client': '15.1.3',
    },
    devDependencies: { typescript: '6.0.3', '@types/node': '24.19.4', '@types/express': '5.0.6' },
  },
  {
    name: 'nest11-express-optional-peers',
    platform: 'express',
    moduleSystem: 'commonjs-node10',
    operations: true,
    dependencies: {
      ...NEST_11,
      '@nestjs/platform-express': '11.2.10',
      ...VALIDATION,
      '@nestjs/swagger': '11.4.7',
      '@nestjs/terminus': '11.1.1',
      '@nestjs/throttler': '6.7.1',
      bullmq: '6.7.0',
      ioredis: '6.0.0',
      'prom-client': '15.1.3',
    },
    devDependencies: { typescript: '5.9.3', ...TYPES_NODE_20, '@types/express': '5.0.6' },
  },
];
const [MINIMAL, , , , , FULL] = HOSTS as [HostSpec, HostSpec, HostSpec, HostSpec, HostSpec, HostSpec];

const CORE_CHECKS = [
  'one @nestjs/core on disk',
  'boots',
  'POST /token with the host bearer: a token for the guard user',
  "POST /token without the bearer: the host guard's 401",
  'a signed webhook reaches the handler once',
  'the same webhook again is a duplicate and runs no handler',
  'a tampered webhook is 401 and runs no handler',
  'closes',
];
const OPERATIONS_CHECKS = [
  'GET /metrics (nest-livekit/metrics) counts the token and the webhooks',
  'GET /health/live (nest-livekit/health) is up',
  'the host OpenAPI document (nest-livekit/openapi) has /token and no /webhook',
];

interface HostRun {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** `npm install` of the host's own dependencies, then `npm install <tarball>`, as an app adopts a package. */
  install?: RunResult;
  add?: RunResult;
  compile?: RunResult;
  check?: RunResult;
  checks: HostCheck[];
}

interface RootProbe {
  ms: number;
  modules: number;
  own: number;
  packages: string[];
  optionalLoaded: string[];
  node: string;
}

let root = '';
type PackResult = Awaited<ReturnType<typeof packRepository>>;
let pack: PackResult | undefined;
const runs = new Map<string, HostRun>();
let failed = false;

/** Throws with the step's output when it did not succeed, so the failing `it` says why. */
function expectSucceeded(step: RunResult | undefined, what: string): void {
  if (!step) throw new Error(`${what}: not run (an earlier step failed)`);
  if (!step.ok) throw new Error(`${what} failed (exit ${step.code}${step.timedOut ? ', timed out' : ''}):\n${step.output.slice(-6000)}`);
}

function runOf(spec: HostSpec): HostRun {
  const run = runs.get(spec.name);
  if (!run) throw new Error(`host ${spec.name} was not set up`);
  return run;
}

async function nodeBinary(version: string | undefined): Promise<string> {
  if (!version) return process.execPath;
  const result = await runBounded(join(REPO, 'scripts', 'node-runtime.sh'), [version], {
    cwd: REPO,
    timeoutMs: INSTALL_TIMEOUT_MS,
    env: childEnv(),
  });
  expectSucceeded(result, `scripts/node-runtime.sh ${version}`);
  return result.output.trim().split('\n').at(-1) ?? '';
}

async function buildHost(spec: HostSpec, packed: Promise<PackResult>): Promise<void> {
  const dir = join(root, spec.name);
  const run: HostRun = { dir, env: childEnv(), checks: [] };
  runs.set(spec.name, run);
  try {
    run.env = childEnv(await nodeBinary(spec.node));
  } catch (error) {
    run.install = { ok: false, code: null, timedOut: false, ms: 0, output: (error as Error).message };
    return;
  }
  writeHost(dir, spec);
  const bounded = (command: string, args: string[], timeoutMs: number): Promise<RunResult> =>
    runBounded(command, args, { cwd: dir, env: run.env, timeoutMs });
  run.install = await bounded('npm', NPM_INSTALL, INSTALL_TIMEOUT_MS);
  const { run: packRun, tarball } = await packed;
  if (!run.install.ok || !packRun.ok) return;
  run.add = await bounded('npm', [...NPM_INSTALL, tarball], INSTALL_TIMEOUT_MS);
  if (!run.add.ok) return;
  run.compile = await bounded('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], COMPILE_TIMEOUT_MS);
  if (!run.compile.ok) return;
  run.check = await bounded('node', ['host-check.mjs', ...(spec.operations ? ['--operations'] : [])], RUN_TIMEOUT_MS);
  run.checks = parseChecks(run.check.output);
}

/** Runs the host's require probe in a fresh process of the host's Node and parses its JSON line. */
async function probe<T>(spec: HostSpec, args: string[]): Promise<T> {
  const run = runOf(spec);
  const result = await runBounded('node', ['require-probe.cjs', ...args], { cwd: run.dir, env: run.env, timeoutMs: RUN_TIMEOUT_MS });
  expectSucceeded(result, `require-probe.cjs ${args.join(' ')}`);
  return JSON.parse(result.output.trim().split('\n').at(-1) ?? '') as T;
}

function checkOf(spec: HostSpec, name: string): HostCheck {
  const run = runOf(spec);
  expectSucceeded(run.compile, 'tsc');
  const check = run.checks.find((candidate) => candidate.name === name);
  if (!check) throw new Error(`the host check did not report "${name}":\n${run.check?.output.slice(-6000) ?? ''}`);
  return check;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nest-livekit-consumers-'));
  // The hosts install their own dependencies while the repository builds and packs.
  const packed = packRepository(root, PACK_TIMEOUT_MS);
  await inPool(HOSTS, CONCURRENCY, (spec) => buildHost(spec, packed));
  pack = await packed;
  failed = !pack.run.ok;
  const seconds = (step: RunResult | undefined): string => (step ? `${(step.ms / 1000).toFixed(1)} s` : '-');
  console.log(
    [
      `consumer suite: npm pack ${seconds(pack.run)}`,
      ...HOSTS.map((spec) => {
        const run = runOf(spec);
        return `${spec.name}: install ${seconds(run.install)}, add tarball ${seconds(run.add)}, tsc ${seconds(run.compile)}, check ${seconds(run.check)}`;
      }),
    ].join('\n'),
  );
}, 900_000);

afterAll(() => {
  if (!root) return;
  if (failed && process.env.KEEP_CONSUMER_HOSTS === '1') {
    process.stdout.write(`consumer hosts kept in ${root}\n`);
    return;
  }
  rmSync(root, { recursive: true, force: true });
});

/** Runs `body`, remembering a failure for the clean-up. */
function track(body: () => unknown): () => Promise<void> {
  return async () => {
    try {
      await body();
    } catch (error) {
      failed = true;
      throw error;
    }
  };
}

describe('npm pack', () => {
  it(
    'builds on prepack and packs',
    track(() => expectSucceeded(pack?.run, 'npm pack')),
  );

  it(
    'ships package.json, README, LICENSE, CHANGELOG, docs, dist and the console assets, without the server, maps or specs',
    track(() => {
      const files = pack?.files ?? [];
      const allowed = (file: string): boolean =>
        ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file) ||
        (file.startsWith('docs/') && !file.endsWith('.png')) ||
        /^dist\/console\/assets\/[\w.-]+\.(html|css|js|svg)$/.test(file) ||
        (/^dist\/.+\.(js|d\.ts)$/.test(file) && !file.startsWith('dist/server/') && !/\.spec\./.test(file));
      expect(files.filter((file) => !allowed(file))).toEqual([]);
      expect(files).toEqual(
        expect.arrayContaining([
          'package.json',
          'README.md',
          'LICENSE',
          'dist/index.js',
          'dist/index.d.ts',
          'dist/console/assets/index.html',
        ]),
      );
      if (existsSync(join(REPO, 'CHANGELOG.md'))) expect(files).toContain('CHANGELOG.md');
    }),
  );

  it(
    'ships every file that exports and typesVersions point at',
    track(() => {
      const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
        exports: Record<string, string | { types: string; default: string }>;
        typesVersions?: Record<string, Record<string, string[]>>;
      };
      const targets = [
        ...Object.values(pkg.exports).flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.default])),
        ...Object.values(pkg.typesVersions ?? {}).flatMap((map) => Object.values(map).flat()),
      ].map((target) => target.replace(/^\.\//, ''));
      expect(targets.filter((target) => !(pack?.files ?? []).includes(target))).toEqual([]);
    }),
  );
});

describe.each(HOSTS)('host $name', (spec) => {
  it(
    `installs with npm from the registry and the tarball (${Object.entries(spec.dependencies)
      .filter(([name]) => name.startsWith('@nestjs/'))
      .map(([name, version]) => `${name}@${version}`)
      .join(', ')}${spec.node ? `, Node ${spec.node}` : ''})`,
    track(() => {
      expectSucceeded(runOf(spec).install, 'npm install');
      expectSucceeded(pack?.run, 'npm pack');
      expectSucceeded(runOf(spec).add, 'npm install <tarball>');
    }),
  );

  it(
    `compiles with its own TypeScript ${spec.devDependencies.typescript} (strict, skipLibCheck: false, ${spec.moduleSystem})`,
    track(() => expectSucceeded(runOf(spec).compile, 'tsc')),
  );

  it.each(spec.operations ? [...CORE_CHECKS, ...OPERATIONS_CHECKS] : CORE_CHECKS)('%s', (name) =>
    track(() => {
      const check = checkOf(spec, name);
      if (!check.ok) throw new Error(`${name}: ${JSON.stringify(check.detail)}\n${runOf(spec).check?.output.slice(-4000) ?? ''}`);
    })(),
  );
});

describe(`host ${MINIMAL.name}: no optional peer`, () => {
  it(
    'has none of the optional peers nor fastify in its node_modules',
    track(() => {
      const names = (checkOf(MINIMAL, 'one @nestjs/core on disk').detail as { names: string[] }).names;
      expect(names.filter((name) => [...OPTIONAL_PEERS, 'fastify'].includes(name))).toEqual([]);
      expect(names).toContain('nest-livekit');
    }),
  );

  it(
    "require('nest-livekit') loads no optional peer; its size, package count, module count and load time",
    track(async () => {
      const run = runOf(MINIMAL);
      expectSucceeded(run.add, 'npm install <tarball>');
      const samples: RootProbe[] = [];
      for (let i = 0; i < 3; i++) samples.push(await probe<RootProbe>(MINIMAL, ['root']));
      for (const sample of samples) expect(sample.optionalLoaded).toEqual([]);
      const median = [...samples].sort((a, b) => a.ms - b.ms)[1] as RootProbe;
      const kb = execFileSync('du', ['-sk', join(run.dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0];
      const detail = checkOf(MINIMAL, 'one @nestjs/core on disk').detail as { packageDirs: number };
      console.log(
        `consumer host ${MINIMAL.name}: node_modules ${kb} kB, ${detail.packageDirs} packages; ` +
          `require('nest-livekit'): ${median.modules} modules (${median.own} of nest-livekit, ${median.packages.length} packages), ` +
          `${median.ms} ms (median of 3, ${median.node})`,
      );
    }),
  );

  it(
    'nest-livekit/metrics without prom-client throws LiveKitMissingPeerError naming prom-client and the fix',
    track(async () => {
      const result = await probe<{ threw: boolean; name: string; message: string; isLiveKitMissingPeerError: boolean }>(MINIMAL, [
        'missing',
        'metrics',
      ]);
      expect(result).toMatchObject({ threw: true, name: 'LiveKitMissingPeerError', isLiveKitMissingPeerError: true });
      expect(result.message).toContain('nest-livekit/metrics needs prom-client');
      expect(result.message).toContain('npm install prom-client@"^15.0.0"');
    }),
  );

  it(
    'nest-livekit/participants without @livekit/rtc-node throws LiveKitMissingPeerError naming it and the fix',
    track(async () => {
      const result = await probe<{ threw: boolean; name: string; message: string; isLiveKitMissingPeerError: boolean }>(MINIMAL, [
        'missing',
        'participants',
      ]);
      expect(result).toMatchObject({ threw: true, name: 'LiveKitMissingPeerError', isLiveKitMissingPeerError: true });
      expect(result.message).toContain('nest-livekit/participants needs @livekit/rtc-node');
      expect(result.message).toContain('npm install @livekit/rtc-node@"^1.0.0"');
    }),
  );
});

describe(`host ${FULL.name}: optional peers installed`, () => {
  it(
    'loads every entry point',
    track(async () => {
      const loaded = await probe<Record<string, number | string>>(FULL, ['entry-points']);
      for (const [entry, exports] of Object.entries(loaded)) expect([entry, typeof exports]).toEqual([entry, 'number']);
    }),
  );

  it(
    "require('nest-livekit') still loads none of them",
    track(async () => {
      const result = await probe<RootProbe>(FULL, ['root']);
      expect(result.optionalLoaded).toEqual([]);
    }),
  );
});
