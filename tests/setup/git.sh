#!/usr/bin/env bash
# Git tests build repositories with the git command and serve them with `git daemon`, which
# ships with Debian's git package; remote scans use git too.
set -uo pipefail
command -v git >/dev/null && [ -x "$(git --exec-path)/git-daemon" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "setup/git.sh: git (with git daemon) is missing and only root can install it" >&2; exit 1; }
apt-get install -y -qq git >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq git >/dev/null 2>&1; }
