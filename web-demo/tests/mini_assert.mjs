// SPDX-License-Identifier: Apache-2.0
//
// The part of node:assert/strict the conformance cases use, for running them in a browser.
function fail(message, fallback) {
  const e = new Error(message ?? fallback);
  e.name = 'AssertionError';
  throw e;
}
function same(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
}
const show = (v) => {
  try { return JSON.stringify(v, (k, x) => (ArrayBuffer.isView(x) ? Array.from(x) : x)); } catch { return String(v); }
};
export const assert = {
  equal(a, b, message) { if (!Object.is(a, b)) fail(message, `expected ${show(b)}, got ${show(a)}`); },
  notEqual(a, b, message) { if (Object.is(a, b)) fail(message, `expected something other than ${show(b)}`); },
  ok(v, message) { if (!v) fail(message, `expected a truthy value, got ${show(v)}`); },
  deepEqual(a, b, message) { if (!same(a, b)) fail(message, `expected ${show(b)}, got ${show(a)}`); },
  async rejects(promise, check) {
    let error;
    try {
      await (typeof promise === 'function' ? promise() : promise);
    } catch (e) {
      error = e;
    }
    if (error === undefined) fail(undefined, 'Missing expected rejection.');
    if (typeof check === 'function' && check(error) !== true) fail(undefined, `unexpected rejection: ${error}`);
  },
};
