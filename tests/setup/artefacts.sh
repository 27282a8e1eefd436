#!/usr/bin/env bash
# Installs the real tools the release-artefact tests build their inputs with: esbuild (bundles a
# small TypeScript project with source maps; npm itself packs it). Into a cache folder, not the
# repo, so every work tree shares one copy; a no-op once the pinned version is there.
set -euo pipefail
cache="${LEAKGUARD_TEST_TOOLS:-$HOME/.cache/leakguard-test-tools}"
esbuild_version=0.28.2
installed="$cache/node_modules/esbuild/package.json"
if [ -f "$installed" ] && grep -q "\"version\": \"$esbuild_version\"" "$installed"; then
  exit 0
fi
command -v npm >/dev/null || { echo "artefacts.sh: npm is not installed" >&2; exit 1; }
mkdir -p "$cache"
timeout 300 npm install --prefix "$cache" --no-audit --no-fund --silent "esbuild@$esbuild_version" >/dev/null
