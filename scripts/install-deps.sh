#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs the Debian packages the native build and tests need, skipping what is already
# there (safe to run again). Needs root or sudo. The wasm build installs its own extras
# (scripts/build-wasm.sh).
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config libzstd-dev libsnappy-dev liblz4-dev zlib1g-dev
          libxxhash-dev nlohmann-json3-dev
          libcurl4-openssl-dev catch2 flatbuffers-compiler libflatbuffers-dev)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "[deps] all native build packages present"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "[deps] installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
