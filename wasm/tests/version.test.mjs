// SPDX-License-Identifier: Apache-2.0
//
// The package's version is the repository's (VERSION, the one place it is written; see
// scripts/sync-version.sh), and the package is laid out as package.json promises.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const WASM = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(WASM, 'package.json'), 'utf8'));

test('package.json and package-lock.json carry the version in VERSION', () => {
  const version = readFileSync(path.join(WASM, '..', 'VERSION'), 'utf8').split('\n')[0].trim();
  assert.equal(pkg.version, version);
  const lock = JSON.parse(readFileSync(path.join(WASM, 'package-lock.json'), 'utf8'));
  assert.equal(lock.version, version);
  assert.equal(lock.packages[''].version, version);
});

test('every file the exports map names exists (or is built into dist/)', () => {
  const targets = [];
  const walk = (v) => {
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  for (const t of targets) {
    if (t.includes('*') || t.startsWith('./dist/')) continue;
    assert.ok(existsSync(path.join(WASM, t)), `${t} is missing`);
  }
  for (const dir of pkg.files) assert.ok(existsSync(path.join(WASM, dir)) || dir === 'dist/', dir);
});

test('the default module import names no Node-only module', () => {
  // Browser bundlers follow these files; Node's modules come from process.getBuiltinModule.
  for (const rel of ['js/module.mjs', 'js/slatedb.mjs', 'js/worker.mjs', 'js/worker_main.mjs']) {
    const text = readFileSync(path.join(WASM, rel), 'utf8');
    assert.doesNotMatch(text, /\bimport\s*\(?\s*['"]node:/, rel);
    assert.doesNotMatch(text, /\bfrom\s+['"]node:/, rel);
  }
});
