#!/usr/bin/env bash
# Installs what Shvya needs on a Debian/Ubuntu machine, skipping what is
# already there: PostgreSQL, Redis and Chromium (Debian packages), uv, and
# the Python workspace (from uv.lock). Safe to run again at any time.
# `bootstrap.sh --dev` adds the developer tools: the `dev` group (pytest, ruff,
# buf, kubectl, kubernetes-validate, py-spy, …) and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
dev=false
[ "${1:-}" = "--dev" ] && dev=true

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v psql >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The HTTP load generator of `make bench`.
if $dev; then command -v wrk >/dev/null 2>&1 || missing+=(wrk); fi
# WhatsApp Web runs in Debian's Chromium (Playwright cannot download its own here).
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation fonts-noto-color-emoji)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "please install: ${missing[*]} (no apt-get on this machine)" >&2
    exit 1
  fi
fi

if ! command -v uv >/dev/null 2>&1; then
  log "installing uv"
  python3 -m pip install --quiet --disable-pip-version-check uv
fi

if $dev; then
  log "installing the Python workspace and the developer tools from uv.lock"
  UV_PYTHON_DOWNLOADS=never uv sync --all-packages --frozen --quiet
else
  # --inexact: a machine that has the developer tools keeps them.
  log "installing the Python workspace from uv.lock"
  UV_PYTHON_DOWNLOADS=never uv sync --all-packages --frozen --quiet --inexact --no-default-groups --group run
fi
