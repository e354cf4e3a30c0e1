#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh (pg_restore --clean --if-exists, in one transaction: it is all
# restored or nothing is).
#
#   scripts/restore.sh DUMP              into DATABASE_URL itself (asks first; --yes to skip the question)
#   scripts/restore.sh DUMP NAME         into database NAME on DATABASE_URL's server (created if missing)
#   scripts/restore.sh DUMP postgres://…  into that database (it must exist)
#
# DATABASE_URL comes from the environment, else from ./.env. Prints the URL restored into (without password).
set -euo pipefail
cd "$(dirname "$0")/.."

yes=0
args=()
for arg in "$@"; do
  if [[ "$arg" == "--yes" ]]; then yes=1; else args+=("$arg"); fi
done
dump="${args[0]:-}"
target="${args[1]:-}"
if [[ -z "$dump" || ! -f "$dump" ]]; then
  echo "restore: usage: scripts/restore.sh DUMP [NAME | postgres://…] [--yes] (no such dump: '${dump}')" >&2
  exit 2
fi
if [[ -z "${DATABASE_URL:-}" && -f .env ]]; then
  DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' .env | tail -n 1 | tr -d "\"'")"
fi

case "$target" in
  postgres://* | postgresql://*)
    url="$target"
    ;;
  "")
    case "${DATABASE_URL:-}" in
      postgres://* | postgresql://*) url="$DATABASE_URL" ;;
      *) echo "restore: set DATABASE_URL (PostgreSQL) or name the target database" >&2; exit 2 ;;
    esac
    if [[ $yes -ne 1 ]]; then
      read -r -p "Replace every table of ${url##*@} with the dump $dump? Type yes: " answer
      [[ "$answer" == "yes" ]] || { echo "restore: nothing done" >&2; exit 1; }
    fi
    ;;
  *)
    if [[ ! "$target" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]]; then
      echo "restore: a database name is letters, digits and _ (got '$target')" >&2
      exit 2
    fi
    case "${DATABASE_URL:-}" in
      postgres://* | postgresql://*) ;;
      *) echo "restore: a new database NAME needs DATABASE_URL for its server" >&2; exit 2 ;;
    esac
    base="${DATABASE_URL%%\?*}"
    query="${DATABASE_URL#"$base"}"
    url="${base%/*}/$target$query"
    exists="$(psql "$DATABASE_URL" -XAtc "SELECT 1 FROM pg_database WHERE datname = '$target'")"
    if [[ "$exists" != "1" ]]; then
      psql "$DATABASE_URL" -Xqc "CREATE DATABASE \"$target\""
    fi
    ;;
esac

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$url" "$dump"
echo "$url" | sed -E 's#(//[^/:@]*):[^/@]*@#\1@#'
