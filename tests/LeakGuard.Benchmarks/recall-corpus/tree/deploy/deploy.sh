#!/usr/bin/env bash
set -euo pipefail

APP_DIR=/srv/app
REGISTRY=ghcr.io/acme

docker login ghcr.io -u acme-bot -p "$GHCR_TOKEN"
docker login registry.acme.io -u deploy -p 'Reg1stry-Deploy!'
curl -fsS -u admin:Nexus-Admin-2022 https://nexus.acme.io/service/rest/v1/status
curl -fsS -H "Authorization: Bearer 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" https://api.github.com/repos/acme/app/deployments
curl -fsS -H "PRIVATE-TOKEN: $GITLAB_TOKEN" https://gitlab.acme.io/api/v4/projects
curl -fsS -H "X-Api-Key: 971517c8e0b6db2e1aa7011e9f6ce261" https://status.acme.io/api/deploys
sshpass -p 'Sshpass-Deploy-3' ssh deploy@10.20.3.4 "systemctl restart app"
mysql -uroot -pMysql-Cli-Root-7 -e "FLUSH PRIVILEGES"
PGPASSWORD=Psql-Inline-44 psql -h db.acme.internal -U app -c 'select 1'
wget --user=mirror --password=Wget-Mirror-12 https://mirror.acme.io/pkgs/latest.tar.gz
smbclient //fs01/deploy -U 'ACME\deploy%Smb-Deploy-5' -c 'ls'
redis-cli -a Redis-Cli-Auth-2 ping
htpasswd -b /etc/nginx/.htpasswd admin "$ADMIN_PASS"
echo "deployed $(git rev-parse HEAD)"
git push https://acme-bot:glpat-LGrcsu0k8zGCwpe_W_9O@gitlab.acme.io/acme/app.git HEAD:main
