#!/usr/bin/env bash
# Nightly export from the reporting API (the export user's Django REST framework token).
set -euo pipefail
out=/var/backups/reports
mkdir -p "$out"
curl -fsS -H "Authorization: Token 3f9c2a7e1b8d4c6f0a5e9b2d7c1f4a8e6b3d0c9f" \
  https://reports.acme.io/api/v1/exports/nightly/ -o "$out/nightly.json"
curl -fsS -H "Authorization: Token ${REPORTS_TOKEN}" \
  https://reports.acme.io/api/v1/exports/weekly/ -o "$out/weekly.json"
