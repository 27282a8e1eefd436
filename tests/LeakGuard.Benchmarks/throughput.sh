#!/usr/bin/env bash
# End-to-end throughput: builds (once) a 1 GiB tree of real source files under
# ${BENCH_TREE:-/tmp/leakguard-bench-tree}, then times `leakguard scan` over it with a warm
# cache and reports MB/s and peak memory (GNU time's maximum resident set size).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tree="${BENCH_TREE:-/tmp/leakguard-bench-tree}"
target=$((1024 * 1024 * 1024))
if [ ! -f "$tree/.complete" ]; then
  rm -rf "$tree"; mkdir -p "$tree"
  size() { du -sb "$tree" | cut -f1; }
  for copy in $(seq 1 200); do
    for src in /usr/lib/python3.11 /usr/include /usr/share/dotnet/packs; do
      [ -d "$src" ] || continue
      dest="$tree/$copy/$(basename "$src")"; mkdir -p "$dest"
      (cd "$src" && find . -type f \( -name '*.py' -o -name '*.h' -o -name '*.xml' \) -exec cp --parents -t "$dest" {} +)
      [ "$(size)" -ge "$target" ] && break 2
    done
  done
  [ "$(size)" -ge "$target" ] || { echo "throughput.sh: found too little source text to build the tree" >&2; exit 2; }
  touch "$tree/.complete"
fi
"$root/leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical || true   # build + cache the rule database
find "$tree" -type f -exec cat {} + >/dev/null   # warm the page cache
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
for engine in hyperscan managed; do
  /usr/bin/time -f "%e s wall, %M KiB peak RSS" -o /tmp/leakguard-bench-time "$root/leakguard" scan "$tree" --engine "$engine" --format json -o /tmp/leakguard-bench.json --fail-on critical --no-progress || true
  bytes=$(grep -o '"bytes": [0-9]*' /tmp/leakguard-bench.json | head -1 | grep -o '[0-9]*$')
  seconds=$(grep -o '"seconds": [0-9.]*' /tmp/leakguard-bench.json | head -1 | grep -o '[0-9.]*$')
  echo "$engine: $((bytes / 1048576)) MiB in ${seconds}s scan time = $(awk "BEGIN { printf \"%.0f\", $bytes / 1048576 / $seconds }") MiB/s; $(cat /tmp/leakguard-bench-time)"
done
