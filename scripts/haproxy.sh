#!/usr/bin/env bash
# Prints, as the last line of stdout, the absolute path of an haproxy binary for the end-to-end tests
# that run the app's instances behind a load balancer (test/support/haproxy.ts).
#
# Resolution order: $HAPROXY_BIN when set and executable; /usr/sbin/haproxy; otherwise Debian's package
# (`apt-get update && apt-get install -y haproxy`, as root or through sudo). Output of apt goes to stderr.
#
# Exit codes: 0 found/installed; 3 not installed and no apt-get; 4 the installation failed.
set -euo pipefail

log() { printf 'haproxy.sh: %s\n' "$*" >&2; }

if [[ -n "${HAPROXY_BIN:-}" && -x "${HAPROXY_BIN}" ]]; then
  printf '%s\n' "${HAPROXY_BIN}"
  exit 0
fi
readonly SYSTEM_BIN=/usr/sbin/haproxy
if [[ -x "${SYSTEM_BIN}" ]]; then
  printf '%s\n' "${SYSTEM_BIN}"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "no haproxy at ${SYSTEM_BIN} and no apt-get to install it: install HAProxy, or set HAPROXY_BIN"
  exit 3
fi
as_root=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else
    log "installing haproxy needs root (no sudo): run apt-get install -y haproxy, or set HAPROXY_BIN"
    exit 4
  fi
fi
log "installing haproxy from the Debian packages"
if ! { "${as_root[@]}" apt-get update && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y --no-install-recommends haproxy; } >&2; then
  log "apt-get install haproxy failed"
  exit 4
fi
if [[ ! -x "${SYSTEM_BIN}" ]]; then
  log "haproxy was installed but ${SYSTEM_BIN} is missing"
  exit 4
fi
printf '%s\n' "${SYSTEM_BIN}"
