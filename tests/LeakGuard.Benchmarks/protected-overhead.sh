#!/usr/bin/env bash
# What looking for protected code adds to a scan (issue 13). Builds, once, a ~200 MB index of
# JavaScript the throughput tree does not hold: the npm part of the precision corpus
# (precision.sh; 522 MB of code, 79 MB of index) and a second set of large npm packages
# ($more_packages, pinned, ~870 MB of code), as two codebases; and throughput.sh's distinct 1 GiB
# tree. Then scans the tree with and without --protected, alternating, $RUNS pairs (default 5;
# Hyperscan, warm page cache). Prints each run's wall time, the report's scan time and findings,
# and the overhead as the median of each pair's ratio (this VM's speed drifts by a third within an
# hour, and a pair's two runs share the drift; the medians of three runs each gave +16 % to +36 %
# for one build), with the pairs' range and the ratio of the median wall times beside it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${LEAKGUARD_PRECISION_CORPUS:-$HOME/.cache/leakguard-precision}/corpus"
tree="${BENCH_DIR:-/tmp/leakguard-bench}/distinct"
bench="${BENCH_DIR:-/tmp/leakguard-bench}"
index="$bench/npm-200.lgpi"
more="$bench/npm-more"
more_packages="monaco-editor@0.58.0 pdfjs-dist@6.5.438 echarts@6.1.0 plotly.js@4.1.1 cesium@1.145.0
  @fluentui/react@8.125.7 antd@6.6.8 ag-grid-community@36.2.0 devextreme@26.1.5 babylonjs@9.35.0
  ckeditor5@48.5.2 @tensorflow/tfjs@4.22.0 mathjax-full@3.2.2 highcharts@13.1.1 ol@10.11.0
  @ionic/core@9.0.5 aws-sdk@2.1693.0 core-js@3.51.0 tinymce@8.9.2"
[ -d "$corpus/npm" ] || "$here/precision.sh" --assemble-only
"$here/throughput.sh" --trees-only
if [ ! -d "$more/node_modules" ]; then
  rm -rf "$more.tmp" && mkdir -p "$more.tmp"
  echo '{ "name": "leakguard-protected-overhead", "version": "1.0.0", "private": true }' > "$more.tmp/package.json"
  (cd "$more.tmp" && npm install --ignore-scripts --no-audit --no-fund --save-exact --loglevel error \
    --before=2026-12-04 $more_packages) > "$bench/npm-more-install.log" 2>&1 || { cat "$bench/npm-more-install.log" >&2; exit 2; }
  mv "$more.tmp" "$more"
fi
if [ ! -f "$index" ]; then
  # Warnings (maps naming files the packages do not ship) go to a log beside the index.
  for part in "npm $corpus/npm" "npm-more $more/node_modules"; do
    set -- $part
    /usr/bin/time -f "$1: index built in %e s wall, %M KiB peak RSS" "$root/leakguard" protect add "$1" "$2" --index "$index.tmp" 2> "$index.log"
    tail -1 "$index.log"
  done
  mv "$index.tmp" "$index"
fi
echo "index: $(du -m "$index" | cut -f1) MB; tree: $(du -sm "$tree" | cut -f1) MB"
"$root/leakguard" scan "$root/README.md" --protected "$index" --format json -o /dev/null --fail-on critical || true   # build + cache both rule databases
find "$tree" -type f -exec cat {} + >/dev/null
cat "$index" >/dev/null
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
runs="${RUNS:-5}"
for run in $(seq "$runs"); do
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
python3 - "$runs" <<'PY'
import statistics, sys
pairs = int(sys.argv[1])
runs = [line.split() for line in open("/tmp/leakguard-protected-runs").read().splitlines()[-2 * pairs:]]
no = [float(r[2]) for r in runs if r[1] == "no:"]
yes = [float(r[2]) for r in runs if r[1] == "yes:"]
ratios = sorted(y / n - 1 for n, y in zip(no, yes))
print(f"overhead: median of {len(ratios)} pairs {statistics.median(ratios) * 100:+.0f} % "
      f"(pairs {ratios[0] * 100:+.0f} % to {ratios[-1] * 100:+.0f} %); "
      f"median wall {statistics.median(no):.2f} s without, {statistics.median(yes):.2f} s with: "
      f"{(statistics.median(yes) / statistics.median(no) - 1) * 100:+.0f} %")
PY
