// SPDX-License-Identifier: Apache-2.0
//
// The ObjectStore conformance cases (store_conformance_cases.mjs) as node:test tests. Not a
// test file itself: stores.test.mjs and s3_store.test.mjs call defineConformanceTests()
// once per store.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { conformanceCases } from './store_conformance_cases.mjs';

/**
 * @param {string} name
 * @param {() => Promise<object>} makeStore  a fresh, empty store per test
 * @param {{fileSystem?: boolean}} [traits]  fileSystem: cannot hold both "a" and "a/b"
 */
export function defineConformanceTests(name, makeStore, traits = {}) {
  describe(`ObjectStore conformance: ${name}`, () => {
    for (const [caseName, fn] of conformanceCases(makeStore, traits, assert)) test(caseName, fn);
  });
}
