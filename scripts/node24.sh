#!/usr/bin/env bash
# Prints the directory holding a Node >= 24 `node` binary, provisioning Node 24 from the npm
# registry into a cache directory when the machine's Node is older. Idempotent and fast when
# already provisioned. Override the cache with AGENTOS_NODE_CACHE.
set -euo pipefail
major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if command -v node >/dev/null 2>&1 && [ "$(major node)" -ge 24 ]; then
  dirname "$(command -v node)"
  exit 0
fi
cache="${AGENTOS_NODE_CACHE:-$HOME/.cache/agentos-node24}"
bin="$cache/node_modules/.bin"
if [ ! -x "$bin/node" ] || [ "$(major "$bin/node")" -lt 24 ]; then
  mkdir -p "$cache"
  echo "agentos: provisioning Node 24 into $cache (npm i node@24)" >&2
  npm i --prefix "$cache" --no-save --no-audit --no-fund node@24 >&2
fi
echo "$bin"
