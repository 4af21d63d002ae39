#!/usr/bin/env bash
# Runs the whole mesh on this machine in the background: `mesh.sh up|down|status|logs`.
# Each service is its own process (as in production), supervised by honcho;
# logs go to .run/mesh.log. Configuration comes from the environment and .env.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
# The crm is the busiest service and one process uses one core at most (see README, Tuning);
# the test clock lives in one process, so with it the crm runs one.
case "${CRM_TEST_CLOCK:-false}" in
  [Tt]rue|1|[Yy]es|[Oo]n) export CRM_PROCESSES="${CRM_PROCESSES:-1}" ;;
  *) export CRM_PROCESSES="${CRM_PROCESSES:-2}" ;;
esac
# One readable line per event in .run/mesh.log; SHVYA_LOG_FORMAT=json gives what a collector reads.
export SHVYA_LOG_FORMAT="${SHVYA_LOG_FORMAT:-console}"

RUN=.run
PIDFILE=$RUN/mesh.pid
PY=.venv/bin/python
GATEWAY="http://127.0.0.1:${GATEWAY_PORT:-8000}"
CONSOLE="http://127.0.0.1:${CONSOLE_PORT:-8080}"
# The links in invitation and password-reset emails lead to this console.
export CONSOLE_URL="${CONSOLE_URL:-$CONSOLE}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
# Runs a one-off step showing only its warnings, and all it said if it fails.
quietly() {
  local out
  if ! out=$(CRM_LOG_LEVEL=WARNING "$@" 2>&1); then
    printf '%s\n' "$out" >&2
    echo "failed: $*" >&2
    exit 1
  fi
  [ -z "$out" ] || printf '%s\n' "$out"
}
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

procfile() {
  if [ -z "${SMTP_HOST:-}" ]; then
    # No real SMTP server configured: a local sink keeps every email in .run/mail.
    echo "smtp-sink: $PY -m aiosmtpd -n -l 127.0.0.1:${SMTP_PORT:-1025} -c aiosmtpd.handlers.Mailbox $RUN/mail"
  fi
  # Each process serves Prometheus metrics on its own port (the crm's processes from 9101 up; the
  # gateway on its HTTP port, /metrics). METRICS=0 make up turns them off.
  local m=""
  metrics() { [ "${METRICS:-1}" = 0 ] || m="SHVYA_METRICS_PORT=$1 "; }
  cat <<PROCS
crm: $(metrics 9101; echo "$m")$PY -m shvya_crm serve
ai: $(metrics 9111; echo "$m")$PY -m shvya_ai
conductor: $(metrics 9112; echo "$m")$PY -m shvya_conductor serve
worker-p1: $(metrics 9113; echo "$m")$PY -m shvya_conductor worker --lane p1
worker-p2: $(metrics 9114; echo "$m")$PY -m shvya_conductor worker --lane p2
channels-email: $(metrics 9115; echo "$m")$PY -m shvya_channels --channel email
channels-whatsapp-cloud: $(metrics 9116; echo "$m")$PY -m shvya_channels --channel whatsapp_cloud
channels-whatsapp-web: $(metrics 9117; echo "$m")$PY -m shvya_channels --channel whatsapp_web
gateway: $PY -m shvya_gateway
console: $PY -m shvya_console
PROCS
}

# The demo company's owner signs in to the console with DEMO_OWNER_PASSWORD, or with a password
# made here on the first `make up` and kept (readable by this user only) for the next ones.
# There is no fixed password: a mesh left running on a shared machine is not open to anyone.
demo_password() {
  if [ -n "${DEMO_OWNER_PASSWORD:-}" ]; then
    DEMO_PASSWORD_SOURCE="DEMO_OWNER_PASSWORD"
  else
    if [ ! -s "$RUN/demo-owner-password" ]; then
      (umask 077; $PY -c "import secrets; print(secrets.token_urlsafe(12))" > "$RUN/demo-owner-password")
    fi
    DEMO_OWNER_PASSWORD="$(cat "$RUN/demo-owner-password")"
    DEMO_PASSWORD_SOURCE="$RUN/demo-owner-password"
  fi
  export DEMO_OWNER_PASSWORD
}

up() {
  if running; then
    log "the mesh is already running (pid $(cat "$PIDFILE")); \`make down\` stops it"
    return 0
  fi
  mkdir -p "$RUN"
  $PY -c "import mailbox; mailbox.Maildir('$RUN/mail', create=True)"
  log "migrating the database"
  quietly $PY -m shvya_crm migrate
  log "seeding the demo company"
  demo_password
  quietly $PY -m shvya_crm seed-demo
  procfile > "$RUN/Procfile"
  log "starting the mesh (logs: $RUN/mesh.log)"
  nohup .venv/bin/honcho start -f "$RUN/Procfile" -d . --no-colour -e /dev/null > "$RUN/mesh.log" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 120); do
    if curl -fsS "$GATEWAY/readyz" >/dev/null 2>&1 && curl -fsS "$CONSOLE/readyz" >/dev/null 2>&1; then
      cat <<BANNER

  Shvya is running.

    Console:       $CONSOLE
                   sign in as ${DEMO_OWNER_EMAIL:-owner@demo.shvya.in} with the password $DEMO_OWNER_PASSWORD
                   (from $DEMO_PASSWORD_SOURCE; each make up sets it again)
    Post a form:   curl -X POST $GATEWAY/inbound-message -H 'Content-Type: application/json' \\
                     -d '{"phone_number":"+919876543210","contact_name":"Rahul Kumar","message_text":"Interested in Digital Marketing course","channel":"email","email":"rahul@example.com"}'
    API docs:      $GATEWAY/docs
    Queue:         $GATEWAY/queue/stats
    Emails:        ${SMTP_HOST:-$RUN/mail (local SMTP sink on 127.0.0.1:${SMTP_PORT:-1025})}
    WhatsApp Web:  $GATEWAY/admin/whatsapp-web/status (link the number: scan $GATEWAY/admin/whatsapp-web/qr)
    See it work:   make demo        Logs: make logs        Stop: make down

BANNER
      return 0
    fi
    if ! running; then break; fi
    sleep 0.5
  done
  echo "the mesh did not become ready; last log lines:" >&2
  tail -n 40 "$RUN/mesh.log" >&2
  down
  return 1
}

down() {
  if ! running; then
    rm -f "$PIDFILE"
    log "the mesh is not running"
    return 0
  fi
  pid=$(cat "$PIDFILE")
  log "stopping the mesh (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$PIDFILE"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if running; then curl -sS "$GATEWAY/readyz"; echo; else echo "not running"; fi ;;
  logs) exec tail -n 100 -f "$RUN/mesh.log" ;;
  *) echo "usage: $0 up|down|status|logs" >&2; exit 2 ;;
esac
