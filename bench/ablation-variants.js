'use strict';
/**
 * Ablation variants that are not one layer patched off (those are in ablate/layers.js), measured in the
 * same interleaved rounds:
 * - `bare`: bench/bare-nest.js on the same adapter, so every layer and feature of ours is off at once:
 *   compare its cost with the sum of the layers' costs;
 * - `rate-limit-on`: the token rate limit switched ON (it is off by default in the standalone server,
 *   `TOKEN_RATE_LIMIT` unset), in memory and never reached: the cost of turning it on.
 * `kind` decides the sign of the cost: `removed` (the default configuration minus the variant) or `added`.
 */
const everywhere = () => true;
const tokenOnly = (_adapter, scenario) => scenario === 'token' || scenario === 'livekit-token';

const ABLATION_VARIANTS = [
  {
    id: 'bare',
    label: 'everything: bare Nest',
    kind: 'removed',
    bare: true,
    source: 'bench/bare-nest.js',
    off: 'the bare Nest reference on the same adapter (SDK only): every layer of ours off at once',
    appliesTo: everywhere,
    compact: true,
  },
  {
    id: 'rate-limit-on',
    label: 'token rate limit ON (memory)',
    kind: 'added',
    env: { TOKEN_RATE_LIMIT: '1000000000', TOKEN_RATE_TTL: '60' },
    source: 'src/server/config/token-rate-limit.config.ts',
    off: 'TOKEN_RATE_LIMIT=1000000000 (never reached), counted in memory: the cost of turning the limit on',
    appliesTo: tokenOnly,
    compact: false,
  },
];

module.exports = { ABLATION_VARIANTS };
