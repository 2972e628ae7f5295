#!/usr/bin/env bash
# Prints, as the last line of stdout, the absolute path of a redis-server binary for the end-to-end tests
# (their own private servers on free ports), installing Debian's redis-server package when it is missing.
#
# Resolution order: $REDIS_SERVER_BIN when executable; redis-server on PATH; `apt-get install -y
# redis-server` (as root, or through sudo without a password). Exit codes: 0 found/installed; 3 not found
# and no way to install it.
set -euo pipefail

log() { printf 'redis-server.sh: %s\n' "$*" >&2; }

if [[ -n "${REDIS_SERVER_BIN:-}" && -x "${REDIS_SERVER_BIN}" ]]; then
  printf '%s\n' "$REDIS_SERVER_BIN"
  exit 0
fi
if found="$(command -v redis-server)"; then
  printf '%s\n' "$found"
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if sudo -n true 2>/dev/null; then as_root=(sudo -n); else log "redis-server is missing and apt-get needs root"; exit 3; fi
  fi
  log "installing redis-server with apt-get..."
  "${as_root[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq redis-server >&2
  if found="$(command -v redis-server)"; then
    printf '%s\n' "$found"
    exit 0
  fi
fi
log "no redis-server found. Fix: install it (apt-get install redis-server, brew install redis), or set REDIS_SERVER_BIN"
exit 3
