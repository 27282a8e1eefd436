#!/usr/bin/env bash
# Installs Verdaccio 5.33.0 (a real npm registry) for the registry and diff tests, into a cache
# folder outside the repository. Verdaccio 6 needs Node 22; 5.33.0 runs on Node 20 once
# node-fetch is pinned to 2.7.0 (its newer 2.x releases break under Verdaccio's proxy code).
# Idempotent and quiet: does nothing when the marker file is there.
set -euo pipefail
dir="${LEAKGUARD_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/leakguard-tools}/verdaccio-5.33.0"
[ -f "$dir/.installed" ] && exit 0
command -v npm >/dev/null || { echo "verdaccio.sh: npm is not installed" >&2; exit 1; }
mkdir -p "$dir"
cat > "$dir/package.json" <<'JSON'
{
  "name": "leakguard-test-verdaccio",
  "private": true,
  "dependencies": { "verdaccio": "5.33.0" },
  "overrides": { "node-fetch": "2.7.0" }
}
JSON
(cd "$dir" && timeout 600 npm install --no-audit --no-fund --loglevel=error >/dev/null)
touch "$dir/.installed"
