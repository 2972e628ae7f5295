#!/usr/bin/env bash
# `npm test`: type check, lint, then every jest suite on this machine's Node, then the unit specs and the
# core end-to-end suites on the Node LTS lines users run (binaries from the npm registry, see
# scripts/node-runtime.sh). With TEST_REPORT_DIR set, each jest run writes its JSON report there.
set -uo pipefail
cd "$(dirname "$0")/.."

readonly OTHER_NODES=(22.23.5 24.22.3)
# What runs on every Node line: the unit specs, and the suites of both contracts, the host app, durable
# mode, the real LiveKit Server, the room state, agent dispatch (a real agent) and server-side participants
# (rtc-node's native binding).
readonly CORE_SUITES=(src/ test/token.e2e-spec.ts test/webhook.e2e-spec.ts test/host-app.e2e-spec.ts test/webhook-queue.e2e-spec.ts test/livekit-server.e2e-spec.ts test/hostile-input.e2e-spec.ts test/room-state.e2e-spec.ts test/agent-dispatch.e2e-spec.ts test/server-participants.e2e-spec.ts)

npm run typecheck || exit 1
npm run lint || exit 1

jest_run() { # <label> <node binary> [jest args...]
  local label=$1 node_bin=$2
  shift 2
  local report=()
  [[ -n "${TEST_REPORT_DIR:-}" ]] && report=(--json --outputFile="${TEST_REPORT_DIR}/${label}.json")
  echo "== jest on Node $("$node_bin" --version) ($label)"
  "$node_bin" node_modules/jest/bin/jest.js --runInBand --forceExit "${report[@]}" "$@"
}

status=0
jest_run "node-$(node --version)" "$(command -v node)" "$@" || status=1
for version in "${OTHER_NODES[@]}"; do
  if ! node_bin=$(bash scripts/node-runtime.sh "$version" | tail -n 1); then
    echo "Node ${version} could not be installed"
    status=1
    continue
  fi
  existing=()
  for suite in "${CORE_SUITES[@]}"; do [[ -e "$suite" ]] && existing+=("$suite"); done
  jest_run "node-v${version}" "$node_bin" "${existing[@]}" || status=1
done
exit "$status"
