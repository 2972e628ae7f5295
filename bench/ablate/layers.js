'use strict';
/**
 * The ONLY place of the bench that knows the library's internals: which compiled file (dist/) holds each
 * layer of our server, how the ablation turns that layer off, and which files a CPU profile charges to it.
 * When the library is refactored, this file is the one to update; every patch asserts that its target
 * still exists (file, export, class, method) and fails with the layer's name and this file's path.
 *
 * A patch runs in the server process, from bench/ablate/preload.js, before dist/server/main.js is loaded.
 * It reports on stderr (the server's log): `bench-ablate: <layer> patched <what>` when it is applied, and
 * `bench-ablate: <layer> ran <what>` the first time the replacement runs. bench/ablation.js reads these
 * lines: a patched target that never ran means the library no longer goes through it, and the row fails.
 * `mustNotRun` marks code the patch removed: if it still runs, the log says `UNEXPECTED` and the row fails.
 *
 * Layer fields:
 * - `id`, `label`, `source` (the TypeScript it stands for), `off` (what "off" means, printed under the table);
 * - `appliesTo(adapter, scenarioId)`: where it is on the request path (elsewhere it is not measured);
 * - `compact`: part of the compact ablation of the default `npm run bench`;
 * - `profile.files` (dist-relative) and `profile.packages`: what a CPU profile sample is charged to this layer
 *   for (see bench/cpu-profile.js); `includes`: layers that run inside it (its profile share adds theirs);
 * - `apply(t)`: the patch, with the tools of {@link patchTools}.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const THIS_FILE = path.relative(ROOT, __filename);

const everywhere = () => true;
const webhookOnly = (_adapter, scenario) => scenario === 'webhook';
const tokenOnly = (_adapter, scenario) => scenario === 'token' || scenario === 'livekit-token';

const LAYERS = [
  {
    id: 'request-log',
    label: 'request log line',
    source: 'src/server/logging/request-log.ts',
    off: 'no line per request (no close listener, no pino call); the request id and X-Request-Id stay',
    appliesTo: everywhere,
    compact: true,
    profile: { files: ['server/logging/request-log.js', 'server/logging/log-redaction.js'] },
    apply(t) {
      const ids = t.module('server/logging/request-id.js', ['resolveRequestId', 'REQUEST_ID_HEADER']);
      t.replaceExport('server/logging/request-log.js', 'logRequests', () =>
        t.ran('logRequests', (server) => {
          server.prependListener('request', (req, res) => {
            const id = ids.resolveRequestId(req);
            req.id = id;
            res.setHeader(ids.REQUEST_ID_HEADER, id);
          });
        }),
      );
    },
  },
  {
    id: 'request-id',
    label: 'request id',
    source: 'src/server/logging/request-id.ts',
    off: "one constant id for every request: no UUID, the caller's X-Request-Id not checked (the header is still set)",
    appliesTo: everywhere,
    compact: false,
    profile: { files: ['server/logging/request-id.js'] },
    apply(t) {
      t.replaceExport('server/logging/request-id.js', 'resolveRequestId', () => t.ran('resolveRequestId', () => 'bench-ablate'));
    },
  },
  {
    id: 'event-log',
    label: 'event log line',
    source: 'src/server/event-log.listener.ts',
    off: "the standalone server's @OnAnyLiveKitEvent handler does nothing (it still runs)",
    appliesTo: webhookOnly,
    compact: true,
    profile: { files: ['server/event-log.listener.js', 'server/logging/pino-nest-logger.js'] },
    apply(t) {
      t.replaceMethod('server/event-log.listener.js', 'EventLogListener', 'log', () => t.ran('EventLogListener.log', () => {}));
    },
  },
  {
    id: 'validation',
    label: 'validation pipe',
    source: 'src/token/token-validation.pipe.ts',
    off: 'the token bodies pass unvalidated (no bounds check, no class-validator / class-transformer)',
    appliesTo: tokenOnly,
    compact: true,
    profile: { files: ['token/token-validation.pipe.js', 'common/json-bounds.js'], packages: ['class-validator', 'class-transformer'] },
    apply(t) {
      t.replaceExport('token/token-validation.pipe.js', 'tokenValidationPipe', () =>
        t.ran('tokenValidationPipe', () => ({ transform: t.ran('pass-through pipe', (value) => value ?? {}) })),
      );
    },
  },
  {
    id: 'telemetry',
    label: 'telemetry (Prometheus)',
    source: 'src/livekit/livekit-telemetry.ts, src/metrics/prometheus-telemetry.ts',
    off: "PrometheusLiveKitTelemetry's methods are the default no-ops of LiveKitTelemetry (prom-client's default metrics stay)",
    appliesTo: everywhere,
    compact: false,
    profile: {
      files: ['livekit/livekit-telemetry.js', 'metrics/prometheus-telemetry.js', 'metrics/metric-registration.js'],
      packages: ['prom-client'],
    },
    apply(t) {
      const { LiveKitTelemetry } = t.module('livekit/livekit-telemetry.js', ['LiveKitTelemetry']);
      const { PrometheusLiveKitTelemetry } = t.module('metrics/prometheus-telemetry.js', ['PrometheusLiveKitTelemetry']);
      if (!(PrometheusLiveKitTelemetry.prototype instanceof LiveKitTelemetry))
        t.fail('PrometheusLiveKitTelemetry no longer extends LiveKitTelemetry');
      const overridden = Object.getOwnPropertyNames(PrometheusLiveKitTelemetry.prototype).filter(
        (name) => name !== 'constructor' && typeof LiveKitTelemetry.prototype[name] === 'function',
      );
      for (const required of ['tokenIssued', 'webhookReceived']) {
        if (!overridden.includes(required)) t.fail(`PrometheusLiveKitTelemetry no longer overrides ${required}`);
      }
      for (const name of overridden) {
        const noop = LiveKitTelemetry.prototype[name];
        const expectedIn = { tokenIssued: ['token', 'livekit-token'], webhookReceived: ['webhook'] }[name];
        t.replaceMethod('metrics/prometheus-telemetry.js', 'PrometheusLiveKitTelemetry', name, () =>
          expectedIn ? t.ran(`${name} (no-op)`, noop, expectedIn) : noop,
        );
      }
    },
  },
  {
    id: 'rate-limit-guard',
    label: 'token rate-limit guard',
    source: 'src/token/token-rate-limit.guard.ts (off by default in the standalone server: TOKEN_RATE_LIMIT unset)',
    off: 'the guard is taken off the token controllers, so Nest runs no guard on them',
    appliesTo: tokenOnly,
    compact: false,
    profile: { files: ['token/token-rate-limit.guard.js'], packages: ['@nestjs/throttler'] },
    apply(t) {
      t.packageModule('reflect-metadata');
      const { GUARDS_METADATA } = t.packageModule('@nestjs/common/constants');
      const { LiveKitTokenRateLimitGuard } = t.module('token/token-rate-limit.guard.js', ['LiveKitTokenRateLimitGuard']);
      for (const [file, name] of [
        ['token/openvidu-token.controller.js', 'OpenViduTokenController'],
        ['token/standard-token.controller.js', 'StandardTokenController'],
      ]) {
        const controller = t.module(file, [name])[name];
        const guards = Reflect.getMetadata(GUARDS_METADATA, controller) ?? [];
        if (!guards.includes(LiveKitTokenRateLimitGuard)) t.fail(`${name} (dist/${file}) no longer carries LiveKitTokenRateLimitGuard`);
        Reflect.defineMetadata(
          GUARDS_METADATA,
          guards.filter((guard) => guard !== LiveKitTokenRateLimitGuard),
          controller,
        );
        t.report(`removed LiveKitTokenRateLimitGuard from ${name}`);
      }
      t.replaceMethod('token/token-rate-limit.guard.js', 'LiveKitTokenRateLimitGuard', 'canActivate', (original) =>
        t.mustNotRun('LiveKitTokenRateLimitGuard.canActivate', original),
      );
    },
  },
  {
    id: 'dedupe-ledger',
    label: 'dedupe ledger',
    source: 'src/webhook/delivery-ledger.ts',
    off: 'every event gets a fresh progress record, nothing is remembered',
    appliesTo: webhookOnly,
    compact: false,
    profile: { files: ['webhook/delivery-ledger.js'] },
    apply(t) {
      t.replaceMethod('webhook/delivery-ledger.js', 'DeliveryLedger', 'progressOf', () =>
        t.ran('DeliveryLedger.progressOf', () => ({ done: new Set(), running: new Map(), complete: false })),
      );
      t.replaceMethod('webhook/delivery-ledger.js', 'DeliveryLedger', 'markComplete', () => t.ran('DeliveryLedger.markComplete', () => {}));
      // Only a handler that returns a promise is tracked: the standalone server's one handler (the event line) is
      // synchronous, so this replacement is not expected to run.
      t.replaceMethod('webhook/delivery-ledger.js', 'DeliveryLedger', 'track', () => () => {});
    },
  },
  {
    id: 'dispatch',
    label: 'dispatch (handlers, ledger, timeout)',
    source: 'src/webhook/webhook-dispatcher.service.ts',
    off: 'a verified event is acknowledged without running any handler (so the ledger and the event log line go too)',
    appliesTo: webhookOnly,
    compact: false,
    includes: ['dedupe-ledger', 'event-log'],
    profile: {
      files: [
        'webhook/webhook-dispatcher.service.js',
        'webhook/timed-handler.js',
        'webhook/webhook-handler.registry.js',
        'webhook/inline-webhook-intake.js',
      ],
    },
    apply(t) {
      t.replaceMethod('webhook/webhook-dispatcher.service.js', 'LiveKitWebhookDispatcher', 'dispatch', () =>
        t.ran('LiveKitWebhookDispatcher.dispatch', () => Promise.resolve('processed')),
      );
    },
  },
  {
    id: 'body-reading',
    label: 'body reading',
    source: 'src/webhook/raw-body.reader.ts, src/server/express-json-body.middleware.ts',
    off:
      "replaced by the framework's stock parser: on Express body-parser's json() and raw() (express.json / express.raw), " +
      "on Fastify its buffer parser for application/webhook+json; the webhook guard's reader then only checks the Buffer's size. " +
      "Not measured for tokens on Fastify, whose JSON parser is already Fastify's",
    appliesTo: (adapter, scenario) => scenario === 'webhook' || adapter === 'express',
    compact: false,
    profile: { files: ['webhook/raw-body.reader.js', 'server/express-json-body.middleware.js'], packages: ['raw-body'] },
    apply(t) {
      const { DEFAULT_WEBHOOK_BODY_LIMIT } = t.module('livekit/livekit.constants.js', ['DEFAULT_WEBHOOK_BODY_LIMIT']);
      const WEBHOOK_TYPE = 'application/webhook+json';
      // Both targets are checked on both adapters, so that a rename fails on either.
      t.module('server/express-json-body.middleware.js', ['expressJsonBody']);
      t.module('webhook/fastify-webhook-parser.js', ['FastifyWebhookParserRegistrar']);
      if (t.adapter === 'express') {
        const express = t.packageModule('express');
        t.replaceExport('server/express-json-body.middleware.js', 'expressJsonBody', () =>
          t.ran('expressJsonBody', (limit) => {
            const json = express.json({ limit });
            const raw = express.raw({ type: WEBHOOK_TYPE, limit: DEFAULT_WEBHOOK_BODY_LIMIT });
            return (req, res, next) => json(req, res, (error) => (error ? next(error) : raw(req, res, next)));
          }),
        );
      } else {
        t.replaceMethod('webhook/fastify-webhook-parser.js', 'FastifyWebhookParserRegistrar', 'onModuleInit', () =>
          t.ran('FastifyWebhookParserRegistrar.onModuleInit', function registerBufferParser() {
            const fastify = this.adapterHost?.httpAdapter?.getInstance();
            if (typeof fastify?.addContentTypeParser !== 'function')
              t.fail('FastifyWebhookParserRegistrar has no adapterHost with a Fastify instance');
            fastify.addContentTypeParser(WEBHOOK_TYPE, { parseAs: 'buffer', bodyLimit: DEFAULT_WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
              done(null, body),
            );
          }),
        );
      }
    },
  },
  {
    id: 'error-filter',
    label: 'error filter',
    source: 'src/common/error-response.filter.ts',
    off: "Nest's BaseExceptionFilter answers errors; it only runs on errors, so on these successful requests it measures the noise (an A/A check)",
    appliesTo: everywhere,
    compact: false,
    profile: { files: ['common/error-response.filter.js'] },
    apply(t) {
      const { BaseExceptionFilter } = t.packageModule('@nestjs/core');
      t.replaceMethod(
        'common/error-response.filter.js',
        'LiveKitErrorResponseFilter',
        'catch',
        () =>
          // Not `t.ran`: on the bench's successful requests it never runs.
          function catchWithNestDefault(exception, host) {
            const adapter = this.adapterHost?.httpAdapter;
            if (!adapter) t.fail('LiveKitErrorResponseFilter has no adapterHost.httpAdapter');
            return new BaseExceptionFilter(adapter).catch(exception, host);
          },
      );
    },
  },
  {
    id: 'cors',
    label: 'CORS',
    source: 'src/server/cors-options.ts',
    off: 'app.enableCors() is skipped: no cors middleware on Express, no @fastify/cors hook on Fastify',
    appliesTo: everywhere,
    compact: false,
    profile: { files: ['server/cors-options.js'], packages: ['cors', '@fastify/cors'] },
    apply(t) {
      const CORS_OFF = Object.freeze({ benchAblate: 'cors off' });
      t.replaceExport('server/cors-options.js', 'standaloneCorsOptions', () => t.ran('standaloneCorsOptions', () => CORS_OFF));
      const { NestApplication } = t.packageModule('@nestjs/core/nest-application');
      const enableCors = t.method(NestApplication, 'enableCors', '@nestjs/core NestApplication');
      const skipped = t.ran('NestApplication.enableCors skipped', () => {});
      NestApplication.prototype.enableCors = function enableCorsUnlessOff(options) {
        return options === CORS_OFF ? skipped() : enableCors.call(this, options);
      };
    },
  },
  {
    id: 'length-gate',
    label: 'declared-length body-limit gate',
    source: 'src/common/declared-length-limit.ts',
    off: 'no Content-Length check in front of the token and webhook routes',
    appliesTo: everywhere,
    compact: false,
    profile: { files: ['common/declared-length-limit.js', 'common/declared-length-limit.provider.js'] },
    apply(t) {
      t.replaceExport('common/declared-length-limit.js', 'limitDeclaredLength', () => t.ran('limitDeclaredLength', () => {}));
    },
  },
];

class LayerPatchError extends Error {
  constructor(layer, message) {
    super(
      `bench ablate: layer "${layer}": ${message}. The library changed under the bench: update the layer in ${THIS_FILE} ` +
        '(and rebuild with npm run build if dist/ is stale)',
    );
    this.name = 'LayerPatchError';
  }
}

/**
 * Tools a layer's `apply` patches with. Every lookup asserts what it finds; `ran(what, fn)` wraps a
 * replacement so that its first call is reported (one boolean check per call afterwards).
 */
function patchTools(layerId, { adapter, report }) {
  const fail = (message) => {
    throw new LayerPatchError(layerId, message);
  };
  const module = (rel, names) => {
    const file = path.join(DIST, rel);
    if (!fs.existsSync(file)) fail(`dist/${rel} not found`);
    const mod = require(file);
    for (const name of names) if (mod[name] === undefined) fail(`dist/${rel} no longer exports ${name}`);
    return mod;
  };
  const packageModule = (name) => {
    try {
      return require(require.resolve(name, { paths: [DIST] }));
    } catch (error) {
      return fail(`cannot load ${name} as the server does (${error.message})`);
    }
  };
  const method = (cls, name, where) => {
    const fn = cls?.prototype?.[name];
    if (typeof fn !== 'function') fail(`${where} has no method ${name}`);
    return fn;
  };
  /** `scenarios`: where the replacement is expected to run (by default wherever the layer applies). */
  const ran = (what, fn, scenarios) => {
    report(`patched ${what}${scenarios ? ` [${scenarios.join(',')}]` : ''}`);
    let first = true;
    return function (...args) {
      if (first) {
        first = false;
        report(`ran ${what}`);
      }
      return fn.apply(this, args);
    };
  };
  return {
    adapter,
    fail,
    module,
    packageModule,
    method,
    ran,
    report,
    /** Wraps code the patch removed from the request path: if it still runs, the log says so. */
    mustNotRun(what, fn) {
      let first = true;
      return function (...args) {
        if (first) {
          first = false;
          report(`UNEXPECTED ${what} still ran`);
        }
        return fn.apply(this, args);
      };
    },
    replaceExport(rel, name, makeReplacement) {
      const mod = module(rel, [name]);
      if (typeof mod[name] !== 'function') fail(`dist/${rel} export ${name} is no longer a function`);
      const replacement = makeReplacement(mod[name]);
      try {
        mod[name] = replacement;
      } catch (error) {
        fail(`dist/${rel} export ${name} cannot be replaced (${error.message})`);
      }
      if (mod[name] !== replacement) fail(`dist/${rel} export ${name} cannot be replaced (read-only)`);
    },
    replaceMethod(rel, className, name, makeReplacement) {
      const cls = module(rel, [className])[className];
      const original = method(cls, name, `${className} (dist/${rel})`);
      cls.prototype[name] = withMetadataOf(original, makeReplacement(original));
    },
  };
}

/**
 * Method decorators (`@OnAnyLiveKitEvent`, Nest's `SetMetadata`) keep their metadata on the function itself:
 * the replacement carries it too, or discovery would no longer find the method.
 */
function withMetadataOf(original, replacement) {
  if (typeof Reflect.getOwnMetadataKeys !== 'function') return replacement;
  for (const key of Reflect.getOwnMetadataKeys(original)) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, original), replacement);
  return replacement;
}

function layerById(id) {
  const layer = LAYERS.find((l) => l.id === id);
  if (!layer) throw new Error(`bench ablate: unknown layer "${id}"; known: ${LAYERS.map((l) => l.id).join(', ')}`);
  return layer;
}

/** Applies one layer's patch in this process (the server, via preload.js). */
function applyLayer(id, { adapter, report }) {
  const layer = layerById(id);
  layer.apply(patchTools(layer.id, { adapter, report: (message) => report(`${layer.id} ${message}`) }));
}

module.exports = { LAYERS, DIST, layerById, applyLayer, LayerPatchError };
