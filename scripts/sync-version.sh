#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The release version is written once, in VERSION. CMake (project()) and pyproject.toml
# (scikit-build-core's regex provider) read it directly; npm cannot, so this copies it into
# wasm/package.json and wasm/package-lock.json.
#   scripts/sync-version.sh            write it
#   scripts/sync-version.sh --check    only check (exit 1 and say which file differs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-write}"
exec node - "$ROOT" "$mode" <<'EOF_NODE'
const fs = require('node:fs');
const path = require('node:path');
const [root, mode] = process.argv.slice(2);
const version = fs.readFileSync(path.join(root, 'VERSION'), 'utf8').split('\n')[0].trim();
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
  console.error(`[sync-version] VERSION holds "${version}", not MAJOR.MINOR.PATCH[-pre]`);
  process.exit(1);
}
let stale = 0;
for (const name of ['package.json', 'package-lock.json']) {
  const file = path.join(root, 'wasm', name);
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const targets = [json];
  if (json.packages && json.packages['']) targets.push(json.packages['']);
  if (targets.every((t) => t.version === version)) continue;
  if (mode === '--check') {
    console.error(`[sync-version] wasm/${name} has ${json.version}, VERSION has ${version} (run scripts/sync-version.sh)`);
    stale++;
    continue;
  }
  for (const t of targets) t.version = version;
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  console.log(`[sync-version] wasm/${name} -> ${version}`);
}
process.exit(stale ? 1 : 0);
EOF_NODE
