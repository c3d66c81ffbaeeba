// SPDX-License-Identifier: Apache-2.0
//
// The TypeScript declarations (js/*.d.mts) compile against tests/types/usage.mts under
// `strict`, including its @ts-expect-error lines. Skipped when typescript is not installed
// (npm ci in wasm/; scripts/test-browser.sh does it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { skipUnlessPresent } from './prerequisite.mjs';

const WASM = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSC = path.join(WASM, 'node_modules', 'typescript', 'bin', 'tsc');

test('tsc --noEmit accepts the declared API and rejects misuse', { skip: skipUnlessPresent(existsSync(TSC) ? '' : 'typescript is not installed (npm ci in wasm/)') }, async () => {
  try {
    await promisify(execFile)(process.execPath, [TSC, '-p', path.join(WASM, 'tests', 'types', 'tsconfig.json')]);
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});
