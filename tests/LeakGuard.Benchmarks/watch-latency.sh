#!/usr/bin/env bash
# How long a leaking npm release goes unnoticed: starts a real Verdaccio on 127.0.0.1, a webhook
# receiver that notes when each alert arrives, and `leakguard watch` polling the package every
# ${WATCH_EVERY:-10s}; then publishes five versions whose source map embeds their source, one at
# a time, and prints for each the seconds from `npm publish` returning to the alert arriving.
# The figure is at most one poll interval plus a scan and a delivery (each version is published
# right after the previous alert, just after a poll, so it waits nearly a whole interval: the
# worst case). With WATCH_EVERY=1s what remains is the cost of noticing, scanning and delivering.
# Everything it starts is stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
every="${WATCH_EVERY:-10s}"
work="$(mktemp -d /tmp/leakguard-watch-latency.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
source "$here/verdaccio.sh"
start_verdaccio
hook_port="$(free_port)"; api_port="$(free_port)"
python3 - "$hook_port" "$work/arrivals" <<'PY' & pids+=($!)
import http.server, json, sys, time
port, log = int(sys.argv[1]), sys.argv[2]
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with open(log, "a") as out:
            out.write(f"{body['finding']['location']['version']} {time.time():.3f}\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", port), Hook).serve_forever()
PY
cat > "$work/leakguard.yaml" <<YAML
store: sqlite:$work/leakguard.db
targets:
  - npm: "@bench/app"
    registry: http://127.0.0.1:$registry_port/
    every: $every
alerts:
  - webhook: http://127.0.0.1:$hook_port/hook
    min-severity: critical
api:
  listen: 127.0.0.1:$api_port
YAML
"$root/leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical >/dev/null || true   # build + cache the rule database
LEAKGUARD_API_KEY=bench-key-0123456789 "$root/leakguard" watch --config "$work/leakguard.yaml" > "$work/watch.log" 2>&1 & pids+=($!)
wait_for "http://127.0.0.1:$api_port/healthz"

for version in 1.0.0 1.0.1 1.0.2 1.0.3 1.0.4; do
  package="$work/pkg-$version"; mkdir -p "$package/dist"
  printf '{ "name": "@bench/app", "version": "%s", "license": "UNLICENSED" }\n' "$version" > "$package/package.json"
  # A map at a new path in every version: the same map again would be the same finding, seen again.
  printf 'console.log("v%s");\n//# sourceMappingURL=index-%s.js.map\n' "$version" "$version" > "$package/dist/index.js"
  printf '{"version":3,"file":"index.js","sources":["../src/app.ts"],"sourcesContent":["export const v = \\"%s\\";\\n"],"mappings":"AAAA"}\n' \
    "$version" > "$package/dist/index-$version.js.map"
  (cd "$package" && npm publish --userconfig "$work/npmrc" --loglevel error >/dev/null)
  published="$(date +%s.%N)"
  for _ in $(seq 1 9000); do grep -q "^$version " "$work/arrivals" 2>/dev/null && break; sleep 0.1; done
  arrived="$(grep "^$version " "$work/arrivals" | head -1 | cut -d' ' -f2)" || { echo "$version: no alert within 15 min" >&2; tail -20 "$work/watch.log" >&2; exit 1; }
  python3 -c "print(f'$version: alert {float($arrived) - float($published):.1f} s after npm publish (every: $every)')"
done
