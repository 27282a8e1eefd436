#!/usr/bin/env bash
# Container image tests build images with podman (as root, vfs storage, chroot isolation: no
# daemon, no cgroups), from FROM scratch with a static busybox for the one RUN that deletes a
# file (a real whiteout), and pull them from Debian's docker-registry (the CNCF distribution
# registry), which each fixture starts on 127.0.0.1.
set -uo pipefail
command -v podman >/dev/null && command -v docker-registry >/dev/null && [ -x /bin/busybox ] && exit 0
[ "$(id -u)" = 0 ] || { echo "setup/containers.sh: podman, docker-registry or busybox-static is missing and only root can install them" >&2; exit 1; }
packages=(podman docker-registry busybox-static)
timeout 600 apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${packages[@]}" >/dev/null 2>&1 \
  || { timeout 300 apt-get update -qq >/dev/null 2>&1 && timeout 600 apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${packages[@]}" >/dev/null 2>&1; }
