#!/usr/bin/env bash
# Points the staging record at the new load balancer.
set -euo pipefail
ip="$1"
curl -sf -X PUT "https://api.godaddy.com/v1/domains/acme-shop.com/records/A/staging" \
  -H "Authorization: sso-key eqsPUv24L0E8AGBI9Xnb4DqOaFmWMGtC5u:ccwqykw7ljv4F2NpMkq1jT" \
  -H "Content-Type: application/json" \
  -d "[{\"data\": \"$ip\", \"ttl\": 600}]"
