#!/usr/bin/env bash
# Prints, as the last line of stdout, the absolute path of a livekit-server binary
# (v1.13.5) for the end-to-end tests, building it with Go when needed.
#
# Resolution order:
#   1. $LIVEKIT_SERVER_BIN, when set and executable (no version check: your choice wins);
#   2. the cached build at ${XDG_CACHE_HOME:-$HOME/.cache}/nest-livekit/livekit-server-v1.13.5/server,
#      when its `--version` reports 1.13.5;
#   3. a fresh build with `go install` into that cache directory (about 3 minutes from
#      scratch, seconds with a warm Go build cache). Build output goes to stderr.
#
# Exit codes: 0 found/built; 3 no binary and no Go toolchain; 4 the Go build failed.
set -euo pipefail

readonly VERSION="1.13.5"
readonly MODULE="github.com/livekit/livekit-server/cmd/server@v${VERSION}"
readonly CACHE_ROOT="${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}"
readonly CACHE_DIR="${CACHE_ROOT}/nest-livekit/livekit-server-v${VERSION}"
readonly CACHED_BIN="${CACHE_DIR}/server"

log() { printf 'livekit-server.sh: %s\n' "$*" >&2; }

absolute() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }

has_version() {
  local out
  out="$("$1" --version 2>/dev/null)" || return 1
  [[ "$out" =~ (^|[^0-9.])${VERSION//./\\.}($|[^0-9.]) ]]
}

if [[ -n "${LIVEKIT_SERVER_BIN:-}" ]]; then
  if [[ -f "$LIVEKIT_SERVER_BIN" && -x "$LIVEKIT_SERVER_BIN" ]]; then
    absolute "$LIVEKIT_SERVER_BIN"
    exit 0
  fi
  log "LIVEKIT_SERVER_BIN=${LIVEKIT_SERVER_BIN} is not an executable file; ignoring it"
fi

if [[ -x "$CACHED_BIN" ]] && has_version "$CACHED_BIN"; then
  printf '%s\n' "$CACHED_BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "no livekit-server v${VERSION} found and no Go toolchain on PATH."
  log "fix: install Go (https://go.dev/dl/), or set LIVEKIT_SERVER_BIN to a livekit-server v${VERSION} binary,"
  log "     or put one at ${CACHED_BIN}"
  exit 3
fi

mkdir -p "$CACHE_DIR"
# Build into a private directory and rename into place, so two concurrent runs
# never see a half-written binary.
staging="$(mktemp -d "${CACHE_DIR}/build.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

log "building livekit-server v${VERSION} with $(go version) into ${CACHE_DIR} (a few minutes on a cold Go cache)..."
started=$SECONDS
if ! CGO_ENABLED=0 GOBIN="$staging" go install "$MODULE" >&2; then
  log "go install ${MODULE} failed (see above)"
  exit 4
fi
if ! has_version "$staging/server"; then
  log "the built binary does not report version ${VERSION}: $("$staging/server" --version 2>&1 || true)"
  exit 4
fi
mv -f "$staging/server" "$CACHED_BIN"
log "built in $((SECONDS - started)) s"
printf '%s\n' "$CACHED_BIN"
