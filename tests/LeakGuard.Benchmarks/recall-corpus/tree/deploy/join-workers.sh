#!/usr/bin/env bash
# Joins the new build hosts to the swarm as workers.
set -euo pipefail
for host in build-07 build-08; do
  ssh "$host" docker swarm join --token SWMTKN-1-0ibyyurl65b4kj4hbi6jlvhkpo2drvauk7vwzzutkw95r2f4qk-ks4rfgy134o5og2080opxn7yf 10.20.0.5:2377
done
# The manager token is never written down: docker swarm join-token -q manager
