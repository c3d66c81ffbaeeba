// SPDX-License-Identifier: Apache-2.0
//
// The test module (wasm/dist-test/slatedb_wasm_test.mjs, built by scripts/build-wasm.sh):
// the shipped module's exports plus self-tests and benchmark loops, which the shipped
// module does not carry. Tests that need those load it with useTestModule() before any
// other call, so every API call in that test file runs on it.
import { NATIVE_STORE } from '../js/args.mjs';
import { call, loadModule } from '../js/module.mjs';

export const TEST_MODULE_URL = new URL('../dist-test/slatedb_wasm_test.mjs', import.meta.url);

/** Loads the test module as the module every API call of this process uses. */
export function useTestModule() {
  return loadModule({ moduleUrl: TEST_MODULE_URL, reload: true });
}

/**
 * Runs StoreScenario (selftest_bindings.cc) from a C++ coroutine against a store proxy made
 * by cppStore(); resolves with its report (step -> outcome).
 */
export async function storeSelfTest(proxy, prefix = 'selftest/') {
  const M = await loadModule();
  const rt = M.slatedbRt;
  const h = proxy[NATIVE_STORE](M);  // a handle of its own, freed below
  try {
    const text = await call(M, (ptr, len) => rt.utf8(ptr, len), (id) =>
      rt.withBytes([rt.encoder.encode(prefix)], (p, n) => M._slatedb_selftest_store(h, p, n, id)));
    return JSON.parse(text);
  } finally {
    M._slatedb_store_free(h);
  }
}

/** Self-tests of the module's runtime (executor, clock, coroutine chains). */
export async function runtimeSelfTest(options = {}) {
  const M = await loadModule();
  const rt = M.slatedbRt;
  const runtime = JSON.parse(await call(M, (ptr, len) => rt.utf8(ptr, len),
    (id) => M._slatedb_selftest_runtime(id)));
  const chain = await call(M, (ptr, len, num) => num,
    (id) => M._slatedb_selftest_sync_chain(options.chainLength ?? 1000000, id));
  return { ...runtime, syncChain: chain, pendingCalls: rt.pendingCalls() };
}
