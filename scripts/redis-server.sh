#!/usr/bin/env bash
# Makes sure redis-server and redis-cli (Redis 7: Sentinel via `redis-server --sentinel`, Cluster via
# `redis-cli --cluster create`) are installed for the Sentinel and Cluster end-to-end suites, installing
# Debian's redis-server and redis-tools packages when missing. Prints the directory holding both, as the
# last line of stdout. Exit codes: 0 found/installed; 3 missing and apt-get unavailable or failing.
set -euo pipefail

log() { printf 'redis-server.sh: %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    log 'redis-server/redis-cli are missing and apt-get is not available: install Redis 7 (server and cli)'
    exit 3
  fi
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo_cmd=(sudo -n)
  log 'installing redis-server and redis-tools from Debian packages'
  { "${sudo_cmd[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq redis-server redis-tools; } >&2 || {
    log 'apt-get install redis-server redis-tools failed'
    exit 3
  }
fi

dirname "$(command -v redis-server)"
