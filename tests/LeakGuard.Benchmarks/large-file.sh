#!/usr/bin/env bash
# A file far over the streaming threshold (64 MiB) is scanned whole in bounded memory:
#   tests/LeakGuard.Benchmarks/large-file.sh            (LEAKGUARD=path measures another build;
#                                                        LARGE_FILE_MB=1024 sets the size)
# Writes (once, under ${BENCH_LARGE:-/tmp/leakguard-bench-large}) a log of distinct numbered lines
# with one GitHub-shaped token on its last line, runs `leakguard scan FILE` under GNU time, and
# checks that the token is reported once at the last line with a peak RSS under 300 MB.
# Exit 1 when it is not.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lg="${LEAKGUARD:-$root/leakguard}"
work="${BENCH_LARGE:-/tmp/leakguard-bench-large}"
mb="${LARGE_FILE_MB:-1024}"
file="$work/app-$mb.log"
token="ghp_$(python3 -c "import random,string; r=random.Random('large-file'); print(''.join(r.choice(string.ascii_letters+string.digits) for _ in range(36)))")"

mkdir -p "$work"
if [ ! -f "$file.complete" ]; then
  python3 - "$file" "$mb" "$token" <<'PY'
import sys
path, mb, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
target = mb * 1000 * 1000
with open(path, "w") as f:
    written, n, lines = 0, 0, []
    while written < target:
        n += 1
        line = f"2026-12-04T20:{n // 60 % 60:02d}:{n % 60:02d}Z worker-{n % 17} request {n:010d} served in {n * 7 % 997} ms\n"
        lines.append(line)
        written += len(line)
        if len(lines) == 10000:
            f.write("".join(lines)); lines = []
    f.write("".join(lines))
    f.write(f'deploy: token="{token}"\n')
PY
  touch "$file.complete"
fi
lines=$(wc -l < "$file")
"$lg" scan "$root/README.md" --format json -o /dev/null --fail-on critical || true   # build + cache the rule database
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
/usr/bin/time -v -o "$work/time" "$lg" scan "$file" --format json -o "$work/report.json" --fail-on critical --no-progress 2>"$work/stderr" || true
peak_kib=$(grep "Maximum resident set size" "$work/time" | grep -o '[0-9]*$')
wall=$(grep "Elapsed (wall clock)" "$work/time" | awk '{print $NF}')
python3 - "$work/report.json" "$token" "$lines" "$peak_kib" "$wall" "$(stat -c %s "$file")" <<'PY'
import json, sys
report_path, token, lines, peak_kib, wall, size = sys.argv[1:]
report = json.load(open(report_path))
redacted = f"{token[:4]}…{token[-4:]}"
hits = [f for f in report["findings"] if f["secret"] == redacted]
ok_find = len(hits) == 1 and hits[0]["location"]["line"] == int(lines)
ok_mem = int(peak_kib) * 1024 < 300e6
print(f"{int(size) / 1e9:.2f} GB, {int(lines):,} lines: token {'found once at line ' + lines if ok_find else 'NOT found once at the last line: ' + str([h['location'] for h in hits])}; "
      f"peak RSS {int(peak_kib) / 1024:.0f} MiB ({int(peak_kib) * 1024 / 1e6:.0f} MB; target < 300 MB); {wall} wall; "
      f"{len(report['findings'])} findings, {len(report['warnings'])} warnings")
sys.exit(0 if ok_find and ok_mem else 1)
PY
