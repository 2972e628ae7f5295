#!/usr/bin/env bash
# Prints, as the last line of stdout, the absolute path of Debian's Chromium for the browser tests
# (test/console.e2e-spec.ts), installing the `chromium` package with apt-get when it is missing.
#
# Resolution order:
#   1. $CHROMIUM_BIN, when set and executable (your choice wins);
#   2. /usr/bin/chromium, when installed;
#   3. `apt-get update && apt-get install -y chromium` (as root, or through sudo when available). Output goes to stderr.
#
# Exit codes: 0 found/installed; 3 not installed and no way to install it; 4 the install failed.
set -euo pipefail

readonly DEBIAN_BIN=/usr/bin/chromium

log() { printf 'chromium.sh: %s\n' "$*" >&2; }

if [[ -n "${CHROMIUM_BIN:-}" ]]; then
  if [[ -f "$CHROMIUM_BIN" && -x "$CHROMIUM_BIN" ]]; then
    printf '%s\n' "$CHROMIUM_BIN"
    exit 0
  fi
  log "CHROMIUM_BIN=${CHROMIUM_BIN} is not an executable file; ignoring it"
fi

if [[ -x "$DEBIAN_BIN" ]]; then
  printf '%s\n' "$DEBIAN_BIN"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "no Chromium at ${DEBIAN_BIN} and no apt-get: install Chromium, or set CHROMIUM_BIN to its binary"
  exit 3
fi
as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    log "installing the chromium package needs root (or sudo): run \`apt-get install -y chromium\`, or set CHROMIUM_BIN"
    exit 3
  fi
  as_root=(sudo -n)
fi

# One install at a time, also when several test files start together.
exec 9>/tmp/nest-livekit-chromium-install.lock
flock 9
if [[ ! -x "$DEBIAN_BIN" ]]; then
  log "installing Debian's chromium package (apt-get update && apt-get install -y chromium)..."
  started=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${as_root[@]}" apt-get update >&2 && "${as_root[@]}" apt-get install -y --no-install-recommends chromium >&2; }; then
    log "apt-get install chromium failed (see above)"
    exit 4
  fi
  log "installed in $((SECONDS - started)) s"
fi
if [[ ! -x "$DEBIAN_BIN" ]]; then
  log "the chromium package is installed but ${DEBIAN_BIN} is not an executable"
  exit 4
fi
printf '%s\n' "$DEBIAN_BIN"
