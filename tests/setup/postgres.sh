#!/usr/bin/env bash
# Store tests and the watch tests on PostgreSQL run against a real server: each test class
# creates a throwaway cluster with initdb and pg_ctl from Debian's postgresql package. Only the
# package is installed here; no server is started. Idempotent and quiet when it is already there.
set -uo pipefail
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && exit 0
[ "$(id -u)" = 0 ] || { echo "setup/postgres.sh: PostgreSQL is missing and only root can install it" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
timeout 900 apt-get install -y -qq postgresql >/dev/null 2>&1 || { timeout 300 apt-get update -qq >/dev/null 2>&1 && timeout 900 apt-get install -y -qq postgresql >/dev/null 2>&1; }
