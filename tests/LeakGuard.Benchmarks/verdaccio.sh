# Sourced by the benchmarks that publish to a real npm registry (watch-latency.sh,
# cluster-capacity.sh): starts Verdaccio 5.33.0 on 127.0.0.1 in "$work", records its pid in
# "pids" (the caller's exit trap stops it) and its port in "registry_port", and writes
# "$work/npmrc" for `npm publish --userconfig`.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 600); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "$1 did not come up" >&2; exit 1; }

start_verdaccio() {
  bash "$root/tests/setup/verdaccio.sh"
  verdaccio_tools="${LEAKGUARD_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/leakguard-tools}/verdaccio-5.33.0"
  registry_port="$(free_port)"
  cat > "$work/verdaccio.yaml" <<YAML
storage: ./storage
uplinks: {}
packages:
  '@*/*': { access: \$all, publish: \$all }
log: { type: stdout, format: pretty, level: warn }
YAML
  (cd "$work" && exec node "$verdaccio_tools/node_modules/verdaccio/bin/verdaccio" --config verdaccio.yaml --listen "127.0.0.1:$registry_port" >/dev/null 2>&1) & pids+=($!)
  wait_for "http://127.0.0.1:$registry_port/-/ping"
  printf 'registry=http://127.0.0.1:%s/\n//127.0.0.1:%s/:_authToken=bench\n' "$registry_port" "$registry_port" > "$work/npmrc"
}
