'use strict';
/**
 * Micro-benchmarks behind the hand-written parts of the hot paths: each pair is the well-kept library's
 * way and ours, run in this process (pin it: `taskset -c 0 node bench/micro.js`), so that the reason a
 * comment gives can be checked on any Node. Prints a table and, last, one JSON line.
 *
 *   token signing       the SDK's AccessToken.toJwt()         vs Hs256TokenSigner.sign()
 *   webhook token       the SDK's TokenVerifier.verify()      vs jose.jwtVerify() with the key imported once
 *   token body          Nest's ValidationPipe (generic path)  vs tokenValidationPipe() (the JSON-object path)
 *   log line            pino with path redaction              vs pino without (the request line)
 *
 * Reads dist/ (run `npm run build` first). Env: MICRO_BATCHES (7), MICRO_BATCH (20000 operations).
 */
require('reflect-metadata');
const path = require('node:path');
const { createSecretKey } = require('node:crypto');
const { Writable } = require('node:stream');
const { AccessToken, TokenVerifier } = require('livekit-server-sdk');
const { jwtVerify } = require('jose');
const { ValidationPipe, BadRequestException } = require('@nestjs/common');
const pino = require('pino');

const DIST = path.join(__dirname, '..', 'dist');
const { Hs256TokenSigner } = require(path.join(DIST, 'token', 'hs256-token-signer'));
const { tokenValidationPipe } = require(path.join(DIST, 'token', 'token-validation.pipe'));
const { OpenViduTokenRequestDto } = require(path.join(DIST, 'token', 'dto', 'openvidu-token-request.dto'));
const { REDACTED_LOG_PATHS, REDACTION_CENSOR } = require(path.join(DIST, 'server', 'logging', 'log-redaction'));

const BATCHES = Number(process.env.MICRO_BATCHES || 7);
const BATCH = Number(process.env.MICRO_BATCH || 20000);
const API_KEY = 'APImicro';
const API_SECRET = 'micro-secret-of-forty-characters-000000';

/** Median CPU µs per operation over BATCHES batches, after one warm-up batch. */
async function measure(operation) {
  const perOp = [];
  for (let batch = -1; batch < BATCHES; batch++) {
    const before = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) await operation(i);
    const used = process.cpuUsage(before);
    if (batch >= 0) perOp.push((used.user + used.system) / BATCH);
  }
  perOp.sort((a, b) => a - b);
  return Math.round(perOp[Math.floor(perOp.length / 2)] * 100) / 100;
}

function nullLogger(options) {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return pino(options, sink);
}

async function pairs() {
  const signer = new Hs256TokenSigner(API_KEY, API_SECRET);
  const sdkVerifier = new TokenVerifier(API_KEY, API_SECRET);
  const key = createSecretKey(Buffer.from(API_SECRET, 'utf8'));
  const webhookToken = await new AccessToken(API_KEY, API_SECRET, { ttl: '5m' }).toJwt();
  const metadata = { type: 'body', metatype: Object };
  const genericPipe = new ValidationPipe({
    expectedType: OpenViduTokenRequestDto,
    whitelist: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    exceptionFactory: () => new BadRequestException(),
  });
  const ourPipe = tokenValidationPipe(OpenViduTokenRequestDto);
  const body = (i) => ({ roomName: `room-${i % 100}`, participantName: `user-${i}` });
  const line = (i) => ({ reqId: `id-${i}`, req: { id: `id-${i}`, method: 'POST', url: '/token', remoteAddress: '127.0.0.1' }, res: { statusCode: 200 }, responseTime: 1.23 });
  const redacting = nullLogger({ timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACTED_LOG_PATHS, censor: REDACTION_CENSOR } });
  const plain = nullLogger({ timestamp: pino.stdTimeFunctions.isoTime });
  return [
    {
      what: 'token signing',
      library: ['AccessToken.toJwt()', (i) => {
        const at = new AccessToken(API_KEY, API_SECRET, { identity: `user-${i}` });
        at.addGrant({ roomJoin: true, room: 'room' });
        return at.toJwt();
      }],
      ours: ['Hs256TokenSigner.sign()', (i) => signer.sign(`user-${i}`, { video: { roomJoin: true, room: 'room' } }, 600)],
    },
    {
      what: 'webhook token',
      library: ['TokenVerifier.verify()', () => sdkVerifier.verify(webhookToken)],
      ours: ['jwtVerify(), key imported once', () => jwtVerify(webhookToken, key, { issuer: API_KEY, algorithms: ['HS256'], requiredClaims: ['exp'] })],
    },
    {
      what: 'token body',
      library: ['ValidationPipe', (i) => genericPipe.transform(body(i), metadata)],
      ours: ['tokenValidationPipe()', (i) => ourPipe.transform(body(i), metadata)],
    },
    {
      what: 'log line',
      library: ['pino, path redaction', (i) => redacting.info(line(i), 'request completed')],
      ours: ['pino, no redaction', (i) => plain.info(line(i), 'request completed')],
    },
  ];
}

async function main() {
  const rows = [];
  for (const pair of await pairs()) {
    const library = await measure(pair.library[1]);
    const ours = await measure(pair.ours[1]);
    rows.push({ what: pair.what, library: pair.library[0], libraryUs: library, ours: pair.ours[0], oursUs: ours, savedUs: Math.round((library - ours) * 100) / 100 });
  }
  console.log(`\nMicro-benchmarks (CPU µs per operation, median of ${BATCHES} x ${BATCH}; node ${process.version})\n`);
  const header = ['what', 'library way', 'µs', 'ours', 'µs', 'saved µs'];
  const lines = rows.map((r) => [r.what, r.library, r.libraryUs.toFixed(2), r.ours, r.oursUs.toFixed(2), r.savedUs.toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  for (const cells of [header, widths.map((w) => '-'.repeat(w)), ...lines]) {
    console.log(cells.map((c, i) => (i === 2 || i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
  }
  console.log(JSON.stringify({ node: process.version, micro: rows }));
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`micro: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  });
}

module.exports = { main };
