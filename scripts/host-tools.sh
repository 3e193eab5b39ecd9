#!/usr/bin/env bash
# Installs the host reference tools the differential tests compare against, and the C++
# toolchain the native module needs (Debian packages).
# Skips quietly when everything is present; needs root (or sudo) and apt otherwise.
set -euo pipefail
PACKAGES=(bash coreutils findutils grep sed gawk diffutils patch jq ripgrep tree zip unzip bc
  xxd file bsdextrautils tar gzip procps curl wget
  # node-gyp's toolchain for packages/guest-v8, built by npm install
  g++ make python3)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "host-tools: missing ${missing[*]} and no apt-get; differential tests will skip them" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
