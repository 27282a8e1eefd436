#!/usr/bin/env bash
# Git history benchmark: builds (once) a repository with ${BENCH_COMMITS:-20000} commits, each
# changing one file with ${BENCH_BLOB_KB:-50} KiB of new real source text (1 GB of distinct blob
# content at the defaults), under ${BENCH_GIT:-/tmp/leakguard-bench-git}. Then it times, with
# the built CLI:
#   1. a full scan of the repository in place (git:PATH);
#   2. a full scan of it as a remote (git:file://…), which mirrors it first, then scans every blob;
#   3. a rescan of the remote after one new commit, which fetches, walks and scans only what is new.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${BENCH_GIT:-/tmp/leakguard-bench-git}"
commits="${BENCH_COMMITS:-20000}"
blob_kb="${BENCH_BLOB_KB:-50}"
repo="$work/repo-$commits-$blob_kb"

if [ ! -f "$repo/.complete" ]; then
  rm -rf "$repo"; mkdir -p "$repo"
  git -C "$repo" init -q -b main
  python3 - "$commits" "$blob_kb" <<'PY' | git -C "$repo" fast-import --quiet
import glob, sys
commits, size = int(sys.argv[1]), int(sys.argv[2]) * 1024
corpus = bytearray()
for path in sorted(glob.glob('/usr/include/**/*.h', recursive=True)):
    with open(path, 'rb') as f:
        corpus += f.read()
    if len(corpus) > 16 * 1024 * 1024:
        break
if len(corpus) < 2 * size:
    sys.exit('git-history.sh: too little source text under /usr/include')
out = sys.stdout.buffer
for i in range(commits):
    start = (i * 104729) % (len(corpus) - size)
    blob = b'// revision %d\n' % i + bytes(corpus[start:start + size])
    out.write(b'blob\nmark :%d\ndata %d\n' % (2 * i + 1, len(blob)) + blob + b'\n')
    message = b'change %d\n' % i
    when = 1_600_000_000 + i * 60
    out.write(b'commit refs/heads/main\nmark :%d\n' % (2 * i + 2))
    out.write(b'author Bench <bench@example.com> %d +0000\ncommitter Bench <bench@example.com> %d +0000\n' % (when, when))
    out.write(b'data %d\n' % len(message) + message)
    if i > 0:
        out.write(b'from :%d\n' % (2 * i))
    out.write(b'M 100644 :%d src/dir%d/file%d.h\n\n' % (2 * i + 1, i % 20, i % 400))
PY
  git -C "$repo" reset -q --hard main
  touch "$repo/.complete"
fi

"$root/leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical || true   # build + cache the rule database
cache="$work/cache"; rm -rf "$cache"
report="$work/report.json"
run() {
  local start end
  start=$(date +%s.%N)
  "$root/leakguard" scan "$2" --git-cache "$cache" --format json -o "$report" --fail-on critical --no-progress || true
  end=$(date +%s.%N)
  blobs=$(grep -o '"blobs": [0-9]*' "$report" | head -1 | grep -o '[0-9]*$')
  bytes=$(grep -o '"bytes": [0-9]*' "$report" | head -1 | grep -o '[0-9]*$')
  echo "$1: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s wall, $blobs blobs, $((bytes / 1048576)) MiB scanned"
}
run "full scan in place ($commits commits)" "git:$repo"
run "full scan as a remote, mirroring included" "git:file://$repo"
printf 'one more line\n' >> "$repo/src/dir0/file0.h"
git -C "$repo" -c user.name=Bench -c user.email=bench@example.com commit -qam "one new commit"
run "rescan of the remote after one new commit" "git:file://$repo"
git -C "$repo" reset -q --hard HEAD~1
