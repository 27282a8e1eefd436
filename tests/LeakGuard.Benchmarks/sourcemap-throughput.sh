#!/usr/bin/env bash
# End to end over a release that leaks its source: builds (once) an npm tarball under
# ${BENCH_SOURCEMAP:-/tmp/leakguard-bench-sourcemap} whose dist/cli.js.map (60 MiB) embeds ~2,000
# real source files (make-sourcemap-package.mjs), next to the bundle they make, then times
# `leakguard scan` over the .tgz with a warm cache: wall time and peak memory (GNU time's
# maximum resident set size), and what the exposure finding says.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${BENCH_SOURCEMAP:-/tmp/leakguard-bench-sourcemap}"
tgz="$work/big-cli-9.9.9.tgz"
if [ ! -f "$tgz" ]; then
  rm -rf "$work"; mkdir -p "$work"
  node "$here/make-sourcemap-package.mjs" "$work"
  tar -czf "$tgz" -C "$work" package
fi
"$root/leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical || true   # build + cache the rule database
cat "$tgz" >/dev/null   # warm the page cache
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
echo "input: $(du -m "$tgz" | cut -f1) MB .tgz; map: $(du -m "$work/package/dist/cli.js.map" | cut -f1) MB"
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s wall (%U s user, %S s sys), %M KiB peak RSS" "$root/leakguard" scan "$tgz" --format json -o "$work/report.json" --fail-on critical --no-progress || true
done
python3 - "$work/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
exposure = next(f for f in report["findings"] if f["ruleId"] == "leakguard.source-map-sources")
d = exposure["details"]
print(f"scan time {report['stats']['seconds']} s over {report['stats']['blobs']} blobs; exposure {exposure['severity']}: "
      f"{d['embeddedSources']} sources ({d['firstParty']} first-party, {d['thirdParty']} third-party), {d['sourceBytes'] / 1048576:.1f} MiB")
PY
