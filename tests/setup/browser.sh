#!/usr/bin/env bash
# The browser tests (tests/LeakGuard.Browser.Tests) drive Debian's Chromium through its
# chromedriver with Selenium; both come from apt.
set -euo pipefail
command -v chromium >/dev/null && command -v chromedriver >/dev/null && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "browser.sh: chromium and chromium-driver are missing; install them (apt-get install chromium chromium-driver) as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 \
  || { timeout 300 apt-get update -qq >/dev/null 2>&1 && timeout 600 apt-get install -y -qq chromium chromium-driver >/dev/null; }
