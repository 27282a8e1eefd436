#!/usr/bin/env bash
# Peak memory of `leakguard scan` on hostile input, on the default limits. Builds (once) a folder
# under ${BENCH_HOSTILE:-/tmp/leakguard-bench-hostile} with real tools, each hostile thing beside
# (or inside) something that holds its own planted GitHub token:
#   zip-bomb/bomb{,-2,-3}.zip    three zips of 1 GiB of zeros, then after.js (a token each; scanned at once,
#                                so their cost adds up) · zip-bomb/beside.js (token)
#   7z-bomb/bomb.7z              one solid 7z block: 1 GiB of zeros (a-zeros.js), then b-after.js (token):
#                                reaching the token means decoding the whole bomb through the budget
#   truncated/cut.tgz            tar czf of token.js and 4 MiB of random bytes, cut in half · truncated/beside.js (token)
#   invalid-utf8/bad.txt         a token between invalid UTF-8 bytes on one line
#   invalid-utf8/bad.js.map      a source map whose strings hold an invalid UTF-8 byte, and a token · invalid-utf8/beside.js (token)
#   one-line/one-line.js         200 MB of minified JavaScript on one line, a token in the middle
#   symlink-loop/                a/link -> ../b/deep, b/deep/loop -> ../deep, b/deep/t.js (token; reported
#                                once, under whichever of its two paths the walk reaches first)
# then runs `leakguard scan DIR --follow-symlinks` under GNU time and prints peak RSS (target:
# < 1 GB) and, for each planted token, whether the report has it (every one must be found, once).
# Last, the peak of reading a stream of unknown length just over an explicit --max-file-size: 256 MiB and one
# byte piped into `leakguard scan -` (target: about the limit, not a multiple of it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lg="${LEAKGUARD:-$root/leakguard}"   # LEAKGUARD=path measures another build
work="${BENCH_HOSTILE:-/tmp/leakguard-bench-hostile}"
dir="$work/input"

# Distinct, synthetic tokens of the github.pat shape: "ghp_" and 36 base62 characters.
token() { python3 -c "import random,string; r=random.Random('$1'); print('ghp_'+''.join(r.choice(string.ascii_letters+string.digits) for _ in range(36)))"; }
planted=(zip-bomb/bomb.zip!after.js zip-bomb/bomb-2.zip!after.js zip-bomb/bomb-3.zip!after.js zip-bomb/beside.js 7z-bomb/bomb.7z!b-after.js
         truncated/cut.tgz!package/token.js truncated/beside.js
         invalid-utf8/bad.txt invalid-utf8/bad.js.map invalid-utf8/beside.js one-line/one-line.js 'symlink-loop/*/t.js')

if [ ! -f "$work/.complete-3-bombs" ]; then
  rm -rf "$work"; mkdir -p "$dir"/{zip-bomb,truncated,invalid-utf8,one-line,symlink-loop/a,symlink-loop/b/deep}
  tmp="$work/build"; mkdir -p "$tmp"
  # zip bombs: 1 GiB of zeros deflate to about 1 MiB; the member after it holds a token.
  truncate -s 1G "$tmp/zeros.bin"
  for bomb in bomb bomb-2 bomb-3; do
    printf 'export const token = "%s";\n' "$(token zip-bomb/$bomb.zip!after.js)" > "$tmp/after.js"
    (cd "$tmp" && zip -q -9 "$dir/zip-bomb/$bomb.zip" zeros.bin after.js)
  done
  rm "$tmp/zeros.bin"
  # truncated .tgz: the token member comes first, the cut falls in the random member after it.
  mkdir -p "$tmp/package"
  printf 'module.exports = "%s";\n' "$(token truncated/cut.tgz!package/token.js)" > "$tmp/package/token.js"
  head -c 4M /dev/urandom > "$tmp/package/random.bin"
  tar -C "$tmp" -czf "$tmp/cut.tgz" package/token.js package/random.bin
  head -c $(( $(stat -c %s "$tmp/cut.tgz") / 2 )) "$tmp/cut.tgz" > "$dir/truncated/cut.tgz"
  # invalid UTF-8: in plain text, and inside a source map's strings (names and embedded sources).
  printf 'key \xff\xfe = "%s" \xc3\x28\n' "$(token invalid-utf8/bad.txt)" > "$dir/invalid-utf8/bad.txt"
  printf '{"version":3,"mappings":"AAAA","sources":["src/\xff.ts","src/token.ts"],"sourcesContent":["bad \xff byte","const t = \\"%s\\";\\n"]}' \
    "$(token invalid-utf8/bad.js.map)" > "$dir/invalid-utf8/bad.js.map"
  # 200 MB on one line: real-looking minified code, the token half way.
  python3 - "$dir/one-line/one-line.js" "$(token one-line/one-line.js)" <<'PY'
import sys
chunk = b'function n(e,t){if(!(e instanceof t))throw new TypeError("Cannot call a class as a function")}var r=function(){return 42},o={a:1,b:"two",c:[3,4]};'
half = 100 * 1000 * 1000 // len(chunk)
with open(sys.argv[1], "wb") as f:
    f.write(chunk * half)
    f.write(b'var token="' + sys.argv[2].encode() + b'";')
    f.write(chunk * half)
PY
  # A link loop that goes through its parent: reached through a/link, b/deep/loop names itself again.
  printf 'token = "%s"\n' "$(token 'symlink-loop/*/t.js')" > "$dir/symlink-loop/b/deep/t.js"
  ln -s ../b/deep "$dir/symlink-loop/a/link"
  ln -s ../deep "$dir/symlink-loop/b/deep/loop"
  for beside in zip-bomb truncated invalid-utf8; do
    printf 'const token = "%s";\n' "$(token $beside/beside.js)" > "$dir/$beside/beside.js"
  done
  rm -rf "$tmp"
  touch "$work/.complete-3-bombs"
fi

# Added later, under a marker of its own, so an existing folder is not rebuilt for it.
if [ ! -f "$work/.complete-7z-bomb" ]; then
  command -v 7z >/dev/null || apt-get install -y -qq p7zip-full >/dev/null
  rm -rf "$dir/7z-bomb"; mkdir -p "$dir/7z-bomb"
  tmp="$work/build-7z"; rm -rf "$tmp"; mkdir -p "$tmp"
  truncate -s 1G "$tmp/a-zeros.js"
  printf 'export const token = "%s";\n' "$(token '7z-bomb/bomb.7z!b-after.js')" > "$tmp/b-after.js"
  (cd "$tmp" && 7z a -bd -bso0 -bsp0 -ms=on "$dir/7z-bomb/bomb.7z" a-zeros.js b-after.js)
  rm -rf "$tmp"
  touch "$work/.complete-7z-bomb"
fi

"$lg" scan "$root/README.md" --format json -o /dev/null --fail-on critical || true   # build + cache the rule database
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
echo "input: $(du -sm --apparent-size "$dir" | cut -f1) MB in $dir"
/usr/bin/time -f "%e s wall, %M KiB peak RSS" -o "$work/time" \
  "$lg" scan "$dir" --follow-symlinks --format json -o "$work/report.json" --fail-on critical --no-progress 2>"$work/stderr" || true
echo "leakguard scan: $(cat "$work/time")"
tokens=""
for plant in "${planted[@]}"; do tokens+="$plant=$(token "$plant") "; done   # each is the glob its path must match
set +e
python3 - "$work/report.json" "$dir" "$work/time" $tokens <<'PY'
import fnmatch, json, re, sys
report_path, folder, time_path, *plants = sys.argv[1:]
try:
    report = json.load(open(report_path))
except (OSError, ValueError) as e:
    sys.exit(f"no report ({e}); stderr is in {report_path.rsplit('/', 1)[0]}/stderr")
findings = [f for f in report["findings"] if f["ruleId"] == "github.pat"]
missing = 0
for plant in plants:
    path, token = plant.split("=")
    redacted = f"{token[:4]}…{token[-4:]}"
    hits = [f for f in findings if f["secret"] == redacted]
    where = sorted({f["location"]["path"].removeprefix(folder + "/") for f in hits})
    # A map's token counts whether it is reported in the map or in the embedded source.
    ok = len(hits) == 1 and (fnmatch.fnmatchcase(where[0], path) or where[0].startswith(path + "!"))
    missing += not ok
    print(f"{'found' if ok else 'MISSING' if not hits else 'WRONG'}  {path}" + ("" if ok else f"  (found {len(hits)}: {where[:3]}{' …' if len(where) > 3 else ''})"))
peak_kib = int(re.search(r"(\d+) KiB", open(time_path).read()).group(1))
print(f"peak RSS {peak_kib / 1024:.0f} MiB ({peak_kib * 1024 / 1e9:.2f} GB; target < 1 GB); "
      f"{len(report['warnings'])} warnings; {len(plants) - missing}/{len(plants)} planted tokens found once")
sys.exit(1 if missing or peak_kib * 1024 >= 1e9 else 0)
PY
status=$?

limit=$((256 * 1024 * 1024))
cat "$dir/one-line/one-line.js" "$dir/one-line/one-line.js" | head -c $((limit + 1)) > "$work/over-limit.js"
cat "$work/over-limit.js" | /usr/bin/time -f "%M" -o "$work/time" \
  "$lg" scan - --max-file-size 256MiB --format json -o /dev/null --fail-on critical --no-progress 2>"$work/stderr" || true
grep -q "skipped: larger than --max-file-size" "$work/stderr" || { echo "stdin over the limit was not skipped:"; cat "$work/stderr"; status=1; }
echo "stdin of $((limit + 1)) bytes (--max-file-size 256MiB): peak RSS $(( $(tail -1 "$work/time") / 1024 )) MiB"
rm -f "$work/over-limit.js"
exit $status
