#!/usr/bin/env bash
# Releases scanned per minute by a cluster of 1, 2 and 3 `leakguard watch` silos on this machine.
# Starts a real Verdaccio and a throwaway PostgreSQL cluster on 127.0.0.1, publishes
# ${PACKAGES:-12} packages × ${VERSIONS:-5} versions (each release a distinct slice of real
# JavaScript from Verdaccio's own node_modules, ~${FILES:-40} files), then for each cluster size
# starts that many silos on a fresh database, every one watching every package (each package its
# own target, so pollers spread over the silos too), and waits until the store has every release.
# Prints, per size, the rate between the first and the last release recorded (start-up excluded)
# and the wall time from the first silo's start. Everything it starts is stopped on exit.
#   bash tests/LeakGuard.Benchmarks/cluster-capacity.sh            # sizes 1 2 3
#   SIZES="1 3" PACKAGES=20 bash tests/LeakGuard.Benchmarks/cluster-capacity.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
packages="${PACKAGES:-12}"; versions="${VERSIONS:-5}"; files="${FILES:-40}"; sizes="${SIZES:-1 2 3}"
releases=$((packages * versions))
bash "$root/tests/setup/verdaccio.sh"
bash "$root/tests/setup/postgres.sh"
tools="${LEAKGUARD_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/leakguard-tools}/verdaccio-5.33.0"
verdaccio="$tools/node_modules/verdaccio/bin/verdaccio"
pgbin="$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)")"
work="$(mktemp -d /tmp/leakguard-cluster-capacity.XXXXXX)"
pids=()
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_postgres "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 600); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "$1 did not come up" >&2; exit 1; }

# PostgreSQL: initdb and pg_ctl from Debian's package, as the tests run it.
pg_port="$(free_port)"
mkdir -p "$work/pg"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$work" "$work/pg"
as_postgres "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --no-sync >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -t 30 -o "-h 127.0.0.1 -p $pg_port -k $work -F -c max_connections=300" start >/dev/null
psql() { as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAq "$@"; }

registry_port="$(free_port)"
cat > "$work/verdaccio.yaml" <<YAML
storage: ./storage
uplinks: {}
packages:
  '@*/*': { access: \$all, publish: \$all }
log: { type: stdout, format: pretty, level: warn }
YAML
(cd "$work" && exec node "$verdaccio" --config verdaccio.yaml --listen "127.0.0.1:$registry_port" >/dev/null 2>&1) & pids+=($!)
wait_for "http://127.0.0.1:$registry_port/-/ping"
printf 'registry=http://127.0.0.1:%s/\n//127.0.0.1:%s/:_authToken=bench\n' "$registry_port" "$registry_port" > "$work/npmrc"

echo "publishing $releases releases ($packages packages × $versions versions, $files files each)…" >&2
mapfile -t sources < <(find "$tools/node_modules" -type f -name '*.js' -size +2k -size -200k | sort | head -n $((releases * files)))
n=0
for p in $(seq 1 "$packages"); do
  for v in $(seq 1 "$versions"); do
    dir="$work/pkg"; rm -rf "$dir"; mkdir -p "$dir/lib"
    printf '{ "name": "@bench/pkg%s", "version": "1.%s.0", "license": "UNLICENSED" }\n' "$p" "$v" > "$dir/package.json"
    for f in $(seq 1 "$files"); do cp "${sources[$((n % ${#sources[@]}))]}" "$dir/lib/f$f.js"; n=$((n + 1)); done
    (cd "$dir" && npm publish --userconfig "$work/npmrc" --loglevel error >/dev/null)
  done
done
"$root/leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical >/dev/null || true   # build + cache the rule database

printf '%-6s %12s %14s %10s\n' silos releases per-minute wall-s
for size in $sizes; do
  db="bench_${size}_$RANDOM"; psql -c "CREATE DATABASE $db" postgres
  silos=()
  start="$(date +%s.%N)"
  for s in $(seq 1 "$size"); do
    config="$work/silo-$size-$s.yaml"
    { echo "store: postgresql://postgres@127.0.0.1:$pg_port/$db"; echo "targets:"
      for p in $(seq 1 "$packages"); do printf '  - npm: "@bench/pkg%s"\n    registry: http://127.0.0.1:%s/\n    every: 2s\n' "$p" "$registry_port"; done
      printf 'api:\n  listen: 127.0.0.1:%s\ncluster:\n  listen: 127.0.0.1:%s\n' "$(free_port)" "$(free_port)"; } > "$config"
    LEAKGUARD_API_KEY=bench-key-0123456789 "$root/leakguard" watch --config "$config" --json-logs > "$work/silo-$size-$s.log" 2>&1 & pids+=($!); silos+=($!)
  done
  for _ in $(seq 1 3600); do
    done_count="$(psql -c "SELECT count(*) FROM releases" "$db" 2>/dev/null || echo 0)"
    [ "${done_count:-0}" -ge "$releases" ] && break
    sleep 0.5
  done
  wall="$(python3 -c "import time; print(f'{time.time() - $start:.0f}')")"
  for pid in "${silos[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${silos[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ "${done_count:-0}" -ge "$releases" ] || { echo "$size silos: only $done_count of $releases releases recorded in 30 min" >&2; exit 1; }
  # The rate between the first and the last release recorded, across the silos' logs.
  python3 - "$size" "$releases" "$wall" "$work"/silo-"$size"-*.log <<'PY'
import json, sys, datetime
size, releases, wall, logs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
times, per_silo = [], []
for log in logs:
    jobs = 0
    for line in open(log):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        message = event.get("@m", "").replace("\"", "")  # the rendered message quotes string values
        if "scanned @bench/" in message:
            times.append(datetime.datetime.fromisoformat(event["@t"].replace("Z", "+00:00")))
        jobs += ": job @bench/" in message
    per_silo.append(jobs)
times.sort()
rate = (len(times) - 1) / (times[-1] - times[0]).total_seconds() * 60 if len(times) > 1 else 0
print(f"{size:<6} {len(times):>12} {rate:>14.1f} {wall:>10}   jobs per silo: {per_silo}")
PY
done
