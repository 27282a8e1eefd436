#!/usr/bin/env bash
# Brings up the services the orders API needs on a developer's machine or a test cluster.
set -euo pipefail

docker network create orders-dev 2>/dev/null || true
docker run -d --name orders-db --network orders-dev -e POSTGRES_USER=orders -e POSTGRES_PASSWORD=L0cal-Pg-Orders-7 -p 5432:5432 postgres:16
docker run -d --name orders-cache --network orders-dev -e REDIS_PASSWORD="$REDIS_PASSWORD" redis:7

kubectl create namespace orders-test --dry-run=client -o yaml | kubectl apply -f -
kubectl -n orders-test create secret generic orders-db --from-literal=username=orders --from-literal=password=K8s-Test-Orders-31
kubectl -n orders-test create secret generic orders-api --from-literal=api-token="${ORDERS_API_TOKEN}"

helm upgrade --install orders ./chart -n orders-test \
  --set postgresql.auth.existingSecret=orders-db \
  --set rabbitmq.auth.password=Mq-Brk3r-Pw-58 \
  --set image.tag="$(git rev-parse --short HEAD)"
