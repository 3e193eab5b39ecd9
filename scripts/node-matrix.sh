#!/usr/bin/env bash
# Installs the npm project matrix of the guest Node runtime (packages/core/src/runtime/node/
# matrix/package-lock.json) into a cache directory outside the repo, once per lockfile content,
# and prints that directory (its node_modules is what matrix.test.ts mounts into the VM).
set -euo pipefail
cd "$(dirname "$0")/.."
matrix=packages/core/src/runtime/node/matrix
hash="$(cat "$matrix/package.json" "$matrix/package-lock.json" | sha256sum | cut -c1-16)"
# Under /tmp: the VM mounts node_modules at this same path and writes the test programs beside
# it, which it may do in its /tmp but not under /root.
dir="${AGENTOS_NODE_MATRIX_DIR:-/tmp/agentos-node-matrix}/$hash"
if [ ! -f "$dir/.installed" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$matrix/package.json" "$matrix/package-lock.json" "$dir/"
  # Scripts are not needed by any matrix package and are not run (nothing executes at install).
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  touch "$dir/.installed"
fi
echo "$dir"
