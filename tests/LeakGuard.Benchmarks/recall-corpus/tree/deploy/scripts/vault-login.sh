#!/usr/bin/env bash
# Logs the release job in to Vault with its AppRole and exports the token.
set -euo pipefail
export VAULT_ADDR=https://vault.acme.internal:8200
export VAULT_ROLE_ID=3e1f7a9c-2b4d-4c6e-8f0a-5d7b9c1e3a24
export VAULT_SECRET_ID=b8d2f4a6-1c3e-4a5b-9d7f-0e2c4a6b8d13
VAULT_TOKEN=$(vault write -field=token auth/approle/login role_id="$VAULT_ROLE_ID" secret_id="$VAULT_SECRET_ID")
export VAULT_TOKEN

# Break-glass login for the runbook (the old release role):
#   vault write auth/approle/login role_id=7c5a3e1b-9d2f-4b8a-a6c4-1e3f5a7b9d02 secret_id=4f6b8d0a-2c4e-4f1a-b3d5-7e9a1c3b5d68
# A new SecretID prints its accessor too; the accessor only names it:
SECRET_ID_ACCESSOR=9a7c5e3b-1d2f-4e6a-8b0c-2d4f6a8c0e19
