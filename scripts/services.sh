#!/usr/bin/env bash
# Starts PostgreSQL and Redis if they are not running, and creates the
# database named by DATABASE_URL (by default the documented
# postgresql://ai:ai@localhost:5432/ai_automation) with its role.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  log "starting PostgreSQL"
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then echo "PostgreSQL is not installed: run scripts/bootstrap.sh" >&2; exit 1; fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# Runs SQL as a PostgreSQL superuser: over TCP when trust auth allows it,
# otherwise as the postgres system user over the socket.
superuser_psql() {
  if psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
  elif [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- psql -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
  else
    sudo -u postgres psql -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
  fi
}

url=${DATABASE_URL:-postgresql://ai:ai@localhost:5432/ai_automation}
read -r user password host dbname < <(python3 - "$url" <<'PY'
import sys
from urllib.parse import urlsplit, unquote
u = urlsplit(sys.argv[1].replace("+psycopg2", ""))
print(unquote(u.username or "postgres"), unquote(u.password or "-"), u.hostname or "localhost", u.path.lstrip("/") or "postgres")
PY
)
case "$host" in localhost|127.0.0.1|::1) ;; *) exit 0 ;; esac  # a remote database is the operator's to create

if [ "$(superuser_psql -c "select 1 from pg_roles where rolname = '$user'")" != 1 ]; then
  log "creating PostgreSQL role $user"
  if [ "$password" = "-" ]; then
    superuser_psql -c "create role \"$user\" login createdb"
  else
    superuser_psql -c "create role \"$user\" login createdb password '$password'"
  fi
fi
if [ "$(superuser_psql -c "select 1 from pg_database where datname = '$dbname'")" != 1 ]; then
  log "creating database $dbname"
  superuser_psql -c "create database \"$dbname\" owner \"$user\""
fi
