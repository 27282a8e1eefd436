#!/usr/bin/env bash
# What looking for protected code adds to a scan (issue 13). Builds, once, an index of the npm part
# of the precision corpus (precision.sh; JavaScript the throughput tree does not hold) and
# throughput.sh's distinct 1 GiB tree, then scans the tree with and without --protected,
# alternating, three runs each (Hyperscan, warm page cache). Prints each run's wall time, the
# report's scan time and findings, and the overhead of the median wall times.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${LEAKGUARD_PRECISION_CORPUS:-$HOME/.cache/leakguard-precision}/corpus"
tree="${BENCH_DIR:-/tmp/leakguard-bench}/distinct"
index="${BENCH_DIR:-/tmp/leakguard-bench}/npm.lgpi"
[ -d "$corpus/npm" ] || "$here/precision.sh" --assemble-only
"$here/throughput.sh" --trees-only
if [ ! -f "$index" ]; then
  # Its warnings (maps naming files the packages do not ship) go to a log beside the index.
  /usr/bin/time -f "index built: %e s wall, %M KiB peak RSS" "$root/leakguard" protect add npm "$corpus/npm" --index "$index" 2> "$index.log"
  tail -1 "$index.log"
fi
echo "index: $(du -m "$index" | cut -f1) MB; tree: $(du -sm "$tree" | cut -f1) MB"
"$root/leakguard" scan "$root/README.md" --protected "$index" --format json -o /dev/null --fail-on critical || true   # build + cache both rule databases
find "$tree" -type f -exec cat {} + >/dev/null
cat "$index" >/dev/null
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
for run in 1 2 3; do
  for with in no yes; do
    args=(); [ "$with" = yes ] && args=(--protected "$index")
    /usr/bin/time -f "%e" -o /tmp/leakguard-protected-time "$root/leakguard" scan "$tree" --engine hyperscan "${args[@]}" \
      --format json -o /tmp/leakguard-protected.json --fail-on critical --no-progress || true
    python3 - "$with" "$(cat /tmp/leakguard-protected-time)" <<'PY' | tee -a /tmp/leakguard-protected-runs
import json, sys
report = json.load(open("/tmp/leakguard-protected.json"))
print(f"index {sys.argv[1]}: {sys.argv[2]} s wall, {report['stats']['seconds']} s scanning, {len(report['findings'])} findings")
PY
  done
done
python3 - <<'PY'
import statistics
runs = [line.split() for line in open("/tmp/leakguard-protected-runs").read().splitlines()[-6:]]
wall = {w: statistics.median(float(r[2]) for r in runs if r[1] == w + ":") for w in ("no", "yes")}
print(f"median wall: {wall['no']:.2f} s without, {wall['yes']:.2f} s with the index: +{(wall['yes'] / wall['no'] - 1) * 100:.0f} %")
PY
