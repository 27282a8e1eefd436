#!/usr/bin/env bash
# End-to-end throughput of `leakguard scan`, warm page cache, both engines, over two 1 GiB trees of
# real source files (Python stdlib, C headers, .NET SDK XML docs):
#   distinct  every file's content is unique: each copy of a source file gets its own last line, as
#             real trees differ, so every byte is read, hashed and matched. This is the headline.
#   copies    the same files copied verbatim: identical content is matched once, so this shows what
#             the dedup table buys on trees with vendored copies, not what the matcher does.
# Reports MB/s (10^6 bytes) from the report's own scan time, wall time and peak RSS (GNU time).
# Trees live under ${BENCH_DIR:-/tmp/leakguard-bench} and are built once; --trees-only builds them
# and stops (other benchmarks scan them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${BENCH_DIR:-/tmp/leakguard-bench}"
target=$((1024 * 1024 * 1024))
sources=(/usr/lib/python3.11 /usr/include /usr/share/dotnet/packs)

# build_tree NAME MODE: MODE is distinct (a unique trailing line per copy) or copies (verbatim).
build_tree() {
  local tree="$dir/$1" mode="$2"
  [ -f "$tree/.complete" ] && return
  rm -rf "$tree"; mkdir -p "$tree"
  python3 - "$tree" "$mode" "$target" "${sources[@]}" <<'EOF'
import os, sys
tree, mode, target, sources = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
comment = {'.py': ('# ', ''), '.h': ('/* ', ' */'), '.xml': ('<!-- ', ' -->')}
files = []
for src in sources:
    for dirpath, _, names in os.walk(src):
        for name in names:
            ext = os.path.splitext(name)[1]
            path = os.path.join(dirpath, name)
            if ext in comment and os.path.isfile(path) and not os.path.islink(path):
                files.append((src, path, ext))
if not files:
    sys.exit("throughput.sh: no source files found under " + " ".join(sources))
written, copy = 0, 0
while written < target:
    copy += 1
    for src, path, ext in files:
        rel = os.path.join(str(copy), os.path.basename(src), os.path.relpath(path, src))
        dest = os.path.join(tree, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(path, 'rb') as f:
            data = f.read()
        if mode == 'distinct':
            start, end = comment[ext]
            data += f'\n{start}copy {copy} of {rel}{end}\n'.encode()
        with open(dest, 'wb') as f:
            f.write(data)
        written += len(data)
        if written >= target:
            break
EOF
  touch "$tree/.complete"
}

build_tree distinct distinct
build_tree copies copies
[ "${1:-}" = "--trees-only" ] && exit 0
"$root/leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical || true   # build + cache the rule database
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
for tree in distinct copies; do
  find "$dir/$tree" -type f -exec cat {} + >/dev/null   # warm the page cache
  for engine in hyperscan managed; do
    /usr/bin/time -f "%e s wall, %M KiB peak RSS" -o /tmp/leakguard-bench-time "$root/leakguard" scan "$dir/$tree" --engine "$engine" --format json -o /tmp/leakguard-bench.json --fail-on critical --no-progress || true
    bytes=$(grep -o '"bytes": [0-9]*' /tmp/leakguard-bench.json | head -1 | grep -o '[0-9]*$')
    seconds=$(grep -o '"seconds": [0-9.]*' /tmp/leakguard-bench.json | head -1 | grep -o '[0-9.]*$')
    echo "$tree $engine: $((bytes / 1000000)) MB in ${seconds}s of scanning = $(awk "BEGIN { printf \"%.0f\", $bytes / 1000000 / $seconds }") MB/s; $(cat /tmp/leakguard-bench-time)"
  done
done
