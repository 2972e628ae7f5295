'use strict';
/**
 * Durable webhook mode (WEBHOOK_MODE=queue with Redis), run only when REDIS_URL is set.
 *
 * TODO(durable-bench): not implemented yet. Expected shape when it is: start our server with
 * WEBHOOK_MODE=queue and REDIS_URL, run the webhook scenario against it, and return one result
 * row like run.js builds ({ server, scenario, rounds: [...] }); until then it returns null and the
 * report says durable mode was skipped. Do not flush or reuse the Redis database given here
 * without a dedicated prefix.
 *
 * @param {{ redisUrl: string }} _context
 * @returns {Promise<null>}
 */
async function runDurableScenario(_context) {
  return null;
}

module.exports = { runDurableScenario };
