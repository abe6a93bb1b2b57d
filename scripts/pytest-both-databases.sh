#!/usr/bin/env bash
# Runs the suite on SQLite (the embedded default), then on PostgreSQL (production).
# Under CI=true the PostgreSQL run is mandatory: an unreachable server fails the build.
# Locally it is skipped with the reason printed, and the SQLite run reports the PostgreSQL-only tests as skipped.
set -uo pipefail
BIN=.venv/bin
WORKERS=${PYTEST_WORKERS:-2}  # pytest-xdist processes: one per core of the 2-core machine
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/shuangjian}
if [[ "${CI:-}" == "true" ]]; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1 || true
fi
if DATABASE_URL=$PG_URL $BIN/python scripts/pg_reachable.py; then pg=yes; else pg=no; fi

status=0
if [[ $pg == yes ]]; then
  echo "== pytest on SQLite (PostgreSQL-only tests run in the next pass)"
  env -u DATABASE_URL $BIN/pytest -n "$WORKERS" -m "not requires_postgres" "$@" || status=1
  echo "== pytest on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $BIN/pytest -n "$WORKERS" "$@" || status=1
elif [[ "${CI:-}" == "true" ]]; then
  echo "PostgreSQL at $PG_URL is unreachable and CI=true: the PostgreSQL tests must run, failing." >&2
  exit 1
else
  echo "== PostgreSQL at $PG_URL is unreachable: PostgreSQL tests are skipped (they run under CI=true)."
  env -u DATABASE_URL $BIN/pytest -n "$WORKERS" "$@" || status=1
fi
exit $status
