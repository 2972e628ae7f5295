#!/usr/bin/env bash
# Prints, as the last line of stdout, the absolute path of a redis-server binary for the end-to-end tests
# (their own private servers on free ports, Sentinel via `redis-server --sentinel`), with redis-cli beside
# it or on PATH (Cluster via `redis-cli --cluster create`). Installs Debian's redis-server and redis-tools
# packages when either is missing.
#
# Resolution order: $REDIS_SERVER_BIN when executable; redis-server on PATH; `apt-get install -y
# redis-server redis-tools` (as root, or through sudo without a password). Exit codes: 0 found/installed;
# 3 missing and no way to install it.
set -euo pipefail

log() { printf 'redis-server.sh: %s\n' "$*" >&2; }

if [[ -n "${REDIS_SERVER_BIN:-}" && -x "${REDIS_SERVER_BIN}" ]]; then
  printf '%s\n' "$REDIS_SERVER_BIN"
  exit 0
fi
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  command -v redis-server
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if sudo -n true 2>/dev/null; then as_root=(sudo -n); else log "redis-server is missing and apt-get needs root"; exit 3; fi
  fi
  log "installing redis-server and redis-tools with apt-get..."
  "${as_root[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq redis-server redis-tools >&2
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    command -v redis-server
    exit 0
  fi
fi
log "no redis-server/redis-cli found. Fix: install Redis 7 (apt-get install redis-server redis-tools, brew install redis), or set REDIS_SERVER_BIN"
exit 3
