#!/usr/bin/env bash
# Backs up and restores the crm's database: `backup.sh backup` writes one consistent dump
# (pg_dump's custom format: a single snapshot, however busy the crm is) to BACKUP_DIR;
# `backup.sh restore [FILE]` loads one (default: the newest) into DATABASE_URL, empty or not.
set -euo pipefail
cd "$(dirname "$0")/.."
# .env fills in what the environment does not say (as for `make up`); the environment wins.
given_url=${DATABASE_URL:-}
given_dir=${BACKUP_DIR:-}
[ -f .env ] && set -a && . ./.env && set +a

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

url=${given_url:-${DATABASE_URL:-postgresql://ai:ai@localhost:5432/ai_automation}}
url=${url/+psycopg2/}  # libpq's tools read the plain URL
dir=${given_dir:-${BACKUP_DIR:-.run/backups}}

backup() {
  mkdir -p "$dir"
  local name
  name="crm-$(date -u +%Y%m%dT%H%M%SZ).dump"
  # Written under a temporary name, so a dump cut short never looks like a backup.
  pg_dump --format=custom --no-owner --no-privileges --file="$dir/.$name" "$url"
  mv "$dir/.$name" "$dir/$name"
  log "backed up the crm database to $dir/$name ($(du -h "$dir/$name" | cut -f1))"
  echo "$dir/$name"
}

restore() {
  local file=${1:-}
  if [ -z "$file" ]; then
    file=$(ls -1 "$dir"/crm-*.dump 2>/dev/null | sort | tail -n 1 || true)
    [ -n "$file" ] || { echo "no backup in $dir: give FILE=path/to/crm-….dump" >&2; exit 1; }
  fi
  [ -f "$file" ] || { echo "no such backup: $file" >&2; exit 1; }
  log "restoring $file into the crm database"
  # One transaction: a restore that fails leaves the database as it was.
  pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$url" "$file"
  log "restored; \`make up\` (or the crm-migrate Job) brings the schema up to date if the backup is older"
}

case "${1:-}" in
  backup) backup ;;
  restore) restore "${2:-}" ;;
  *) echo "usage: $0 backup | restore [FILE]" >&2; exit 2 ;;
esac
