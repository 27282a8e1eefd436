#!/usr/bin/env bash
# The distribution tests (tests/LeakGuard.Distribution.Tests) run Debian's pre-commit framework
# against the repository's .pre-commit-hooks.yaml, and the GitHub Action's script, which counts
# SARIF results with jq.
set -uo pipefail
command -v pre-commit >/dev/null && command -v jq >/dev/null && exit 0
[ "$(id -u)" = 0 ] || { echo "setup/distribution.sh: pre-commit and jq are missing and only root can install them" >&2; exit 1; }
timeout 600 apt-get install -y -qq -o DPkg::Lock::Timeout=300 pre-commit jq >/dev/null 2>&1 \
  || { timeout 300 apt-get update -qq >/dev/null 2>&1 && timeout 600 apt-get install -y -qq -o DPkg::Lock::Timeout=300 pre-commit jq >/dev/null 2>&1; }
