#!/usr/bin/env bash
# What hostile archive headers cost `leakguard scan` (issue 11.5 and 11.6). Builds once, under
# ${HOSTILE_ARCHIVES:-/tmp/leakguard-hostile-archives}:
#   long-name.tgz     a member whose GNU long name is 100 MB (written by python3's tarfile; ~100 KB
#                     gzipped), holding a token, then after.js holding another
#   many-entries.zip  4,000,000 central-directory records (zip64), the first naming token.txt and
#                     the rest one empty member: 188 MB of directory, as an attacker writes it
#   ratio-member.tgz  a 200 MiB member of zeros (GNU tar + gzip: 1000x, within --max-file-size), then after.js with a token
# then scans each under GNU time and prints wall time, peak RSS and how many planted tokens were
# found. LEAKGUARD=/path/to/leakguard measures another build (e.g. one of main).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${HOSTILE_ARCHIVES:-/tmp/leakguard-hostile-archives}"
leakguard="${LEAKGUARD:-$root/leakguard}"
token='ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK'
mkdir -p "$dir"
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

if [ ! -f "$dir/long-name.tgz" ]; then
  TOKEN="$token" python3 - "$dir/long-name.tgz" <<'EOF'
import io, os, sys, tarfile
token = os.environ["TOKEN"].encode()
with tarfile.open(sys.argv[1], "w:gz", format=tarfile.GNU_FORMAT) as tar:
    for name, data in (("a" * 100_000_000, b"key = " + token + b"\n"), ("after.js", b"const t = '" + token + b"';\n")):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
EOF
fi

if [ ! -f "$dir/many-entries.zip" ]; then
  TOKEN="$token" python3 - "$dir/many-entries.zip" <<'EOF'
import os, struct, sys, zlib
count = 4_000_000
token = b"key = " + os.environ["TOKEN"].encode() + b"\n"
with open(sys.argv[1], "wb") as out:
    def local(name, data):
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, zlib.crc32(data), len(data), len(data), len(name), 0) + name + data)
        return offset, zlib.crc32(data), len(data)
    token_entry = local(b"token.txt", token)
    empty_entry = local(b"e", b"")
    start = out.tell()
    def record(name, entry):
        offset, crc, size = entry
        return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, crc, size, size, len(name), 0, 0, 0, 0, 0, offset) + name
    out.write(record(b"token.txt", token_entry))
    empty = record(b"e", empty_entry)
    for _ in range((count - 1) // 100_000):
        out.write(empty * 100_000)
    out.write(empty * ((count - 1) % 100_000))
    size = out.tell() - start
    zip64_end = out.tell()
    out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, size, start))
    out.write(struct.pack("<IIQI", 0x07064B50, 0, zip64_end, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, size, start, 0))
EOF
fi

if [ ! -f "$dir/ratio-member.tgz" ]; then
  work="$(mktemp -d)"
  head -c 209715200 /dev/zero > "$work/zeros.bin"
  printf "const t = '%s';\n" "$token" > "$work/after.js"
  tar -C "$work" -czf "$dir/ratio-member.tgz" zeros.bin after.js
  rm -rf "$work"
fi

"$leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical >/dev/null 2>&1 || true   # build once
for archive in long-name.tgz many-entries.zip ratio-member.tgz; do
  rm -f "$dir/report.json"
  /usr/bin/time -f "%e s wall, %M KiB peak RSS" -o "$dir/time" \
    "$leakguard" scan "$dir/$archive" --format json -o "$dir/report.json" --fail-on critical --no-progress --quiet >/dev/null 2>&1 || true
  # One leak is one finding; the places it was found in are counted in details.locations.
  found=$(python3 -c 'import json, sys; print(sum((f["details"].get("locations") or {"count": 1})["count"] for f in json.load(open(sys.argv[1]))["findings"] if f["ruleId"] == "github.pat"))' "$dir/report.json" 2>/dev/null || echo "no report:")
  echo "$archive ($(du -h "$dir/$archive" | cut -f1)): $(tail -1 "$dir/time"); $found planted tokens reported; report $(du -h "$dir/report.json" | cut -f1)"
done
