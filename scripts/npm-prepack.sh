#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# npm's prepack step for wasm/ (`npm pack` or `npm publish` there): builds what the package
# ships and puts the top-level LICENSE next to package.json (npm packs it from there; the
# copy is not committed). The build is scripts/build-wasm.sh (installs emscripten when
# missing, incremental). Fails if package.json's version is not the one in VERSION
# (scripts/sync-version.sh writes it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/sync-version.sh" --check
"$ROOT/scripts/build-wasm.sh"
cp "$ROOT/LICENSE" "$ROOT/wasm/LICENSE"
for f in slatedb_wasm.mjs slatedb_wasm.wasm; do
  [[ -s "$ROOT/wasm/dist/$f" ]] || { echo "[npm-prepack] wasm/dist/$f is missing" >&2; exit 1; }
done
