'use strict';
/**
 * CPU per webhook of the inline dispatcher and its duplicate ledger, in this process, with the ledger full
 * (steady state: every new event evicts the oldest) and two handlers, ten deliveries at a time as the
 * HTTP load sends them. Pin it: `taskset -c 0 node bench/dispatch.js`. `DISPATCH_DIST` points at another
 * build (say, a previous commit's dist/) to compare side by side.
 *
 * Env: DISPATCH_DIST (dist/), DISPATCH_ROUNDS (6), DISPATCH_EVENTS (100000 per round).
 */
const path = require('node:path');
require('reflect-metadata');

const DIST = path.resolve(process.env.DISPATCH_DIST || path.join(__dirname, '..', 'dist'));
const { LiveKitWebhookDispatcher } = require(path.join(DIST, 'webhook', 'webhook-dispatcher.service'));
const { LiveKitEventHandlerRegistry } = require(path.join(DIST, 'webhook', 'webhook-handler.registry'));
const { ResolvedLiveKitOptions } = require(path.join(DIST, 'livekit', 'resolved-livekit-options'));

const ROUNDS = Number(process.env.DISPATCH_ROUNDS || 6);
const EVENTS = Number(process.env.DISPATCH_EVENTS || 100_000);
const CONCURRENCY = 10;

async function main() {
  const registry = new LiveKitEventHandlerRegistry();
  let handled = 0;
  registry.add({ id: 'EventLog.any', events: ['*'], handle: () => void (handled += 1) });
  registry.add({ id: 'App.joined', events: ['participant_joined'], handle: async () => void (handled += 1) });
  registry.seal();
  const dispatcher = new LiveKitWebhookDispatcher(registry, new ResolvedLiveKitOptions({ apiKey: 'APIbench', apiSecret: 's'.repeat(40) }));
  const perEvent = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = round * EVENTS;
    let next = 0;
    const before = process.cpuUsage();
    const lane = async () => {
      while (next < EVENTS) {
        const id = `EV_${(first + next++).toString(36)}bench`;
        await dispatcher.dispatch({ event: 'participant_joined', id, room: { name: 'bench-room' } }, id);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    const used = process.cpuUsage(before);
    // The first round fills the ledger (10,000 entries by default) and warms up: not counted.
    if (round > 0) perEvent.push((used.user + used.system) / EVENTS);
  }
  if (handled !== ROUNDS * EVENTS * 2) throw new Error(`handled ${handled} runs, expected ${ROUNDS * EVENTS * 2}`);
  perEvent.sort((a, b) => a - b);
  const median = perEvent[Math.floor(perEvent.length / 2)];
  console.log(`dispatch, ledger full: ${median.toFixed(2)} µs CPU per event (median of ${perEvent.length} rounds; ${DIST}, Node ${process.version})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
