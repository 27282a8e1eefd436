#!/usr/bin/env bash
# Releases scanned per minute by a cluster of 1, 2 and 3 `leakguard watch` silos on this machine.
# Starts a real Verdaccio and a throwaway PostgreSQL cluster on 127.0.0.1 and publishes
# ${PACKAGES:-12} packages × ${VERSIONS:-5} versions, each release a distinct slice of real
# JavaScript from Verdaccio's own node_modules (${FILES:-150} files). Then, for each cluster size,
# starts that many silos on a fresh database, waits until all of them are Active in the
# membership table, and sweeps the whole scope (`POST /api/scans` "npm:@bench/*@all"): every
# release becomes a job placed on any silo. Prints, per size, the releases the sweep scanned,
# the rate from the request to the sweep's end, and how many jobs each silo ran. Everything it
# starts is stopped on exit.
#   bash tests/LeakGuard.Benchmarks/cluster-capacity.sh            # sizes 1 2 3
#   SIZES="1 3" PACKAGES=20 FILES=300 bash tests/LeakGuard.Benchmarks/cluster-capacity.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
packages="${PACKAGES:-12}"; versions="${VERSIONS:-5}"; files="${FILES:-150}"; sizes="${SIZES:-1 2 3}"
releases=$((packages * versions))
bash "$root/tests/setup/postgres.sh"
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
source "$here/verdaccio.sh"

# PostgreSQL: initdb and pg_ctl from Debian's package, as the tests run it.
pg_port="$(free_port)"
mkdir -p "$work/pg"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$work" "$work/pg"
as_postgres "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --no-sync >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -t 30 -o "-h 127.0.0.1 -p $pg_port -k $work -F -c max_connections=300" start >/dev/null
psql() { as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAq "$@"; }

start_verdaccio

echo "publishing $releases releases ($packages packages × $versions versions, $files files each)…" >&2
mapfile -t sources < <(find "$verdaccio_tools/node_modules" -type f -name '*.js' -size +2k -size -200k | sort | head -n $((releases * files)))
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

key=bench-key-0123456789
printf '%-6s %9s %12s %10s\n' silos releases per-minute seconds
for size in $sizes; do
  db="bench_${size}_$RANDOM"; psql -c "CREATE DATABASE $db" postgres
  silos=(); api_ports=()
  for s in $(seq 1 "$size"); do
    config="$work/silo-$size-$s.yaml"; api_port="$(free_port)"; api_ports+=("$api_port")
    # One quiet target: the silos have something to watch; the sweep is the work measured.
    printf 'store: postgresql://postgres@127.0.0.1:%s/%s\ntargets:\n  - npm: "@bench/pkg1@1.1.0"\n    registry: http://127.0.0.1:%s/\n    every: 1h\napi:\n  listen: 127.0.0.1:%s\ncluster:\n  listen: 127.0.0.1:%s\n' \
      "$pg_port" "$db" "$registry_port" "$api_port" "$(free_port)" > "$config"
    LEAKGUARD_API_KEY=$key "$root/leakguard" watch --config "$config" --json-logs > "$work/silo-$size-$s.log" 2>&1 & pids+=($!); silos+=($!)
  done
  for port in "${api_ports[@]}"; do wait_for "http://127.0.0.1:$port/healthz"; done
  for _ in $(seq 1 600); do
    [ "$(psql -c "SELECT count(*) FROM orleansmembershiptable WHERE status = 3" "$db" 2>/dev/null || echo 0)" -ge "$size" ] && break
    sleep 0.2
  done
  start="$(date +%s.%N)"
  id="$(curl -fs -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"target\": \"npm:@bench/*@all\", \"registry\": \"http://127.0.0.1:$registry_port/\"}" \
    "http://127.0.0.1:${api_ports[0]}/api/scans" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
  for _ in $(seq 1 18000); do
    sweep="$(curl -fs -H "Authorization: Bearer $key" "http://127.0.0.1:${api_ports[-1]}/api/scans/$id")"
    echo "$sweep" | grep -q '"status":"running"' || break
    sleep 0.1
  done
  end="$(date +%s.%N)"
  for pid in "${silos[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${silos[@]}"; do wait "$pid" 2>/dev/null || true; done
  python3 - "$size" "$start" "$end" "$sweep" "$work"/silo-"$size"-*.log <<'PY'
import json, sys
size, start, end, sweep, logs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5:]
if sweep["status"] != "done":
    sys.exit(f"{size} silos: the sweep ended {sweep['status']}: {sweep.get('error')}")
# Jobs each silo ran, from its log (the rendered message quotes string values).
jobs = [sum("npm:@bench/*@all: job @bench/" in json.loads(line).get("@m", "").replace('"', "") for line in open(log) if line.startswith("{")) for log in logs]
seconds = end - start
print(f"{size:<6} {sweep['scans']:>9} {sweep['scans'] / seconds * 60:>12.1f} {seconds:>10.1f}   jobs per silo: {jobs}")
PY
done
