#!/usr/bin/env bash
# Back up the database named by DATABASE_URL (PostgreSQL) with pg_dump's custom format (-Fc: compressed, restored
# selectively and in parallel by pg_restore).
#
#   scripts/backup.sh [FILE]        default FILE: $BACKUP_DIR/<UTC date and time>.dump (BACKUP_DIR: backups)
#
# DATABASE_URL comes from the environment, else from ./.env. The dump is written to FILE.partial and renamed
# when complete, so a FILE that exists is a whole dump. Prints the path of the dump.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${DATABASE_URL:-}" && -f .env ]]; then
  DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' .env | tail -n 1 | tr -d "\"'")"
fi
case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  "") echo "backup: set DATABASE_URL (postgres://user@host:port/name)" >&2; exit 2 ;;
  *) echo "backup: DATABASE_URL is not PostgreSQL; back up the SQLite file by copying it" >&2; exit 2 ;;
esac

out="${1:-${BACKUP_DIR:-backups}/$(date -u +%Y-%m-%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"
pg_dump --format=custom --no-owner --no-privileges --file="$out.partial" --dbname="$DATABASE_URL"
mv "$out.partial" "$out"
echo "$out"
