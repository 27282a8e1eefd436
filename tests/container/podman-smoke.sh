#!/usr/bin/env bash
# Builds the repository's Dockerfile with podman and runs the image, on a machine that cannot
# pull its base images: local stand-ins take their names.
#
#   debian:<tag>                   a debootstrapped Debian (minbase) of that release
#   mcr.microsoft.com/dotnet/sdk:<v>  the same rootfs, plus ca-certificates and ICU, plus this
#                                  machine's .NET SDK (which must be version <v>), trusting the CA
#                                  roots this machine trusts (so a restore works wherever the host's
#                                  does, behind a TLS-inspecting proxy too)
#
# Then the image is run twice. With its default command, as compose would run it, with a git
# target: it must scan the repository, write the alert, serve /metrics on the exposed port as the
# Dockerfile's USER, and exit 0 on SIGTERM. Then as `docker run … leakguard scan /src` on a mounted
# folder holding a token: it must report the finding and exit 1. Exit status 0 when all that holds.
#
# Not run by ./test: the stand-ins take about 1.2 GB and a build several minutes of CPU. Needs root
# (apt-get, debootstrap, rootful podman). The stand-ins are kept for the next run; remove them with
#   podman rmi mcr.microsoft.com/dotnet/sdk:<v> debian:<tag>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /var/tmp/leakguard-podman-XXXXXX)"
container="leakguard-smoke-$$"
image="localhost/leakguard:smoke"
trap 'podman rm -f "$container" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

say() { echo "podman-smoke: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (apt-get, debootstrap, rootful podman)"
missing=()
for tool in podman runc debootstrap curl git; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
# runc, not crun: crun refuses cgroup v1 "hybrid" hosts. Explicit limits: podman's defaults can
# exceed a host's hard limits, which a container may not raise.
podman_flags=(--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# The base images, as the Dockerfile names them.
sdk_image=$(sed -n 's/^FROM \(mcr\.microsoft\.com\/dotnet\/sdk:[^ ]*\).*/\1/p' "$root/Dockerfile")
debian_image=$(sed -n 's/^FROM \(debian:[^ ]*\).*/\1/p' "$root/Dockerfile")
[ -n "$sdk_image" ] && [ -n "$debian_image" ] || fail "the Dockerfile no longer names an SDK and a debian base image"
release=${debian_image#debian:}; release=${release%-slim}
sdk_version=${sdk_image##*:}

rootfs="$work/rootfs"
if ! podman image exists "docker.io/library/$debian_image" || ! podman image exists "$sdk_image"; then
  say "debootstrap $release (minbase)"
  debootstrap --variant=minbase "$release" "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap $release"; }
fi
if ! podman image exists "docker.io/library/$debian_image"; then
  say "stand-in $debian_image"
  tar -C "$rootfs" -c . | podman import --change 'CMD ["bash"]' - "docker.io/library/$debian_image" >"$work/import.log" 2>&1 \
    || { cat "$work/import.log" >&2; fail "podman import $debian_image"; }
fi
if ! podman image exists "$sdk_image"; then
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  host_sdk=$(dotnet --version)
  case "$host_sdk" in "$sdk_version".*) ;; *) fail "this machine's .NET SDK is $host_sdk, the Dockerfile wants $sdk_version";; esac
  say "stand-in $sdk_image (.NET SDK $host_sdk from $dotnet_root)"
  sdkroot="$work/sdkroot"
  cp -a "$rootfs" "$sdkroot"
  cp /etc/resolv.conf "$sdkroot/etc/resolv.conf"
  chroot "$sdkroot" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates "$(apt-cache pkgnames libicu | grep -E "^libicu[0-9]+$" | head -1)" >/dev/null 2>&1 && rm -rf /var/lib/apt/lists/*' \
    || fail "installing ca-certificates and ICU into the SDK stand-in"
  rm -f "$sdkroot/etc/resolv.conf"
  cp /etc/ssl/certs/ca-certificates.crt "$sdkroot/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$sdkroot/usr/share"
  cp -a "$dotnet_root" "$sdkroot/usr/share/dotnet"
  ln -sf /usr/share/dotnet/dotnet "$sdkroot/usr/bin/dotnet"
  tar -C "$sdkroot" -c . | podman import --change 'ENV DOTNET_ROOT=/usr/share/dotnet' --change 'ENV DOTNET_NOLOGO=1' \
    --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' --change 'CMD ["bash"]' - "$sdk_image" >"$work/import.log" 2>&1 \
    || { cat "$work/import.log" >&2; fail "podman import $sdk_image"; }
  rm -rf "$sdkroot"
fi
rm -rf "$rootfs"

say "podman build (the build context is the working tree, less .dockerignore)"
podman build "${podman_flags[@]}" --pull=never -t "$image" -f "$root/Dockerfile" "$root" >"$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log" >&2; fail "podman build"; }

# A repository with a token in its history, and a config that watches it.
token="ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK"
git init -q -b main "$work/repo"
printf 'TOKEN=%s\n' "$token" >"$work/repo/config.env"
git -C "$work/repo" add config.env
git -C "$work/repo" -c user.name=smoke -c user.email=smoke@example.com commit -qm leak
git clone -q --bare "$work/repo" "$work/repo.git"
user=$(sed -n 's/^USER \([0-9]*\).*/\1/p' "$root/Dockerfile")
port=$(sed -n 's/^EXPOSE \([0-9]*\).*/\1/p' "$root/Dockerfile")
chown -R "$user:$user" "$work/repo.git"
cat >"$work/leakguard.yaml" <<EOF
store: sqlite:/var/lib/leakguard/leakguard.db
targets:
  - git: file:///srv/repo.git
    every: 2s
alerts:
  - file: /var/lib/leakguard/alerts.jsonl
    min-severity: high
api:
  listen: 0.0.0.0:$port
EOF
host_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
api_key="podman-smoke-api-key-$$-0123456789"

say "podman run (config mounted where compose mounts it, port $port published on 127.0.0.1:$host_port)"
podman run -d "${podman_flags[@]}" --name "$container" -e LEAKGUARD_API_KEY="$api_key" \
  -v "$work/leakguard.yaml:/etc/leakguard/leakguard.yaml:ro" -v "$work/repo.git:/srv/repo.git:ro" \
  -p "127.0.0.1:$host_port:$port" "$image" >/dev/null

for _ in $(seq 60); do
  podman exec "$container" grep -q '"finding.new"' /var/lib/leakguard/alerts.jsonl 2>/dev/null && break
  sleep 1
done
podman exec "$container" grep -q "config.env" /var/lib/leakguard/alerts.jsonl \
  || { podman logs "$container" >&2; fail "no alert for the token within 60 s"; }
metrics=$(curl -fsS -H "Authorization: Bearer $api_key" "http://127.0.0.1:$host_port/metrics") \
  || { podman logs "$container" >&2; fail "/metrics did not answer on the published port"; }
grep -q 'leakguard_target_last_success_timestamp_seconds{target="git:file:///srv/repo.git"}' <<<"$metrics" \
  || fail "/metrics names no successful poll of the target"
[ "$(podman exec "$container" id -u)" = "$user" ] || fail "the service does not run as uid $user"
podman stop -t 30 "$container" >/dev/null
exit_code=$(podman inspect "$container" --format '{{.State.ExitCode}}')
[ "$exit_code" = 0 ] || { podman logs "$container" >&2; fail "exit code $exit_code after SIGTERM"; }
say "ok: default command: built, scanned, alerted, served /metrics as uid $user, stopped with exit code 0"

# `scan /src`: the entrypoint is the CLI, so any command replaces the default `watch`.
mkdir -p "$work/src"
printf 'export const token = "%s";\n' "$token" >"$work/src/config.js"
chmod -R a+rX "$work/src"
set +e
scan_output=$(podman run --rm "${podman_flags[@]}" -v "$work/src:/src:ro" "$image" scan /src --format json --no-progress 2>"$work/scan.err")
scan_exit=$?
set -e
[ "$scan_exit" = 1 ] || { cat "$work/scan.err" >&2; fail "scan /src exited $scan_exit, not 1 (a finding)"; }
grep -q '"ruleId": "github.pat"' <<<"$scan_output" || { echo "$scan_output" >&2; fail "scan /src did not report the token"; }
grep -q '"path": "/src/config.js"' <<<"$scan_output" || { echo "$scan_output" >&2; fail "scan /src did not name /src/config.js"; }
say "ok: scan /src found the token in /src/config.js and exited 1"
