#!/usr/bin/env bash
# Hostile git trees: builds (once, with git fast-import) three repositories under
# ${BENCH_GIT:-/tmp/leakguard-bench-git} and reports the wall time and peak memory (RSS) of
# `leakguard scan git:PATH` on each, and whether the shallow secret planted in each was found:
#   1. one commit whose tree nests 20,000 levels deep (1.4 MB of .git);
#   2. the same, 50,000 levels deep;
#   3. 4,000 levels of 200-character folder names, each holding a file of its own (paths of up to
#      800,000 characters: the cost of a path per blob is what this measures).
# Target: each under 1 GB peak and well under a minute; the walk stops at 4,096 levels.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${BENCH_GIT:-/tmp/leakguard-bench-git}"
token='ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK'

build() {   # name, python that prints the fast-import stream
  local repo="$work/$1"
  if [ ! -f "$repo/.complete" ]; then
    rm -rf "$repo"; mkdir -p "$repo"
    git -C "$repo" init -q --bare
    python3 -c "$2" "$token" | git -C "$repo" fast-import --quiet
    touch "$repo/.complete"
  fi
}
header='import sys
token = sys.argv[1]
out = []
out.append("commit refs/heads/main\nauthor B <b@example.com> 1700000000 +0000\ncommitter B <b@example.com> 1700000000 +0000\ndata 4\ndeep\n")
def add(path, text):
    out.append("M 100644 inline %s\ndata %d\n%s\n" % (path, len(text), text))
add("shallow.env", "TOKEN=%s\n" % token)
'
build deep-20000 "$header"'
add("/".join(["d"] * 20000) + "/deep.env", "deep\n")
sys.stdout.write("".join(out) + "\n")'
build deep-50000 "$header"'
add("/".join(["d"] * 50000) + "/deep.env", "deep\n")
sys.stdout.write("".join(out) + "\n")'
build long-names-4000 "$header"'
folders = []
for i in range(4000):
    folders.append("%05d" % i + "n" * 195)
    add("/".join(folders) + "/file.txt", "file %d\n" % i)
sys.stdout.write("".join(out) + "\n")'

"$root/leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical || true   # build + cache the rule database
report="$work/deep-report.json"
for name in deep-20000 deep-50000 long-names-4000; do
  /usr/bin/time -f '%e %M' -o "$work/time.txt" \
    "$root/leakguard" scan "git:$work/$name" --format json -o "$report" --fail-on critical --no-progress --quiet || true
  read -r seconds kb < <(tail -1 "$work/time.txt")   # after "Command exited with non-zero status 1"
  found=$(grep -c '"path": "shallow.env"' "$report" || true)
  echo "$name: $seconds s wall, $((kb / 1024)) MiB peak RSS, $(du -sh "$work/$name" | cut -f1) of .git, shallow secret found: $([ "$found" -gt 0 ] && echo yes || echo NO)"
done
