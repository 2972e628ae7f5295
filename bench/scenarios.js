'use strict';
/**
 * What the bench measures. `kind` names the request source in ./requests.js; `baseline: false`
 * marks a route the tutorial baseline does not have (reported as n/a); `rate` turns a scenario into
 * a fixed-rate latency test (paced evenly, bench/paced-load.js); `warmup: false` skips the discarded warm-up
 * round when an earlier scenario already warmed the same route.
 */
function scenarios({ rate }) {
  return [
    { id: 'token', label: 'POST /token', path: '/token', kind: 'token' },
    { id: 'livekit-token', label: 'POST /livekit/token', path: '/livekit/token', kind: 'livekit-token', baseline: false },
    { id: 'webhook', label: 'POST /webhook', path: '/webhook', kind: 'webhook' },
    { id: 'token-fixed-rate', label: `POST /token @${rate}/s`, path: '/token', kind: 'token', rate, warmup: false },
  ];
}

module.exports = { scenarios };
