// SPDX-License-Identifier: Apache-2.0
//
// Stores seen through the C++ ObjectStore glue (tests, tools) and stores implemented in
// C++ (S3Store): the store protocol over a C++ StoreHandle.
import { StoreError } from './store_common.mjs';
import { bytes, encoder, makeStoreHandle, NATIVE_STORE } from './args.mjs';
import { InvalidError, storeError } from './errors.mjs';
import { call, loadModule } from './module.mjs';

// --- store proxy (tests, tools) --------------------------------------------------------------------

/**
 * Wraps a store so that each call goes JS -> C++ ObjectStore -> (for JS stores: the C++
 * JsObjectStore -> JS store) -> back. `store` is a protocol object or "memory" (the C++
 * MemoryObjectStore). The result implements the store protocol; errors are StoreErrors.
 * Used by the conformance tests to check the C++ glue.
 */
export async function cppStore(store, options = {}) {
  const M = await loadModule(options.module);
  const h = makeStoreHandle(M, store);
  const desc = `cpp(${typeof store === 'string' ? store : store.describe?.() ?? 'js'})`;
  return nativeStoreProxy(M, h, desc);
}

/**
 * The store protocol over a C++ StoreHandle `h` (which the proxy owns: free() releases it).
 * Internal: used by cppStore() and by stores implemented in C++ (S3Store).
 */
export function nativeStoreProxy(M, h, desc) {
  const rt = M.slatedbRt;
  let freed = false;
  const handle = () => {
    if (freed) throw new StoreError('Invalid', 'store was freed');
    return h;
  };
  const c = (decode, start) => call(M, decode, start, storeError);
  const key = (k) => { if (typeof k !== 'string') throw new StoreError('Invalid', 'key must be a string'); return encoder.encode(k); };
  const data = (ptr, len) => M.HEAPU8.slice(ptr, ptr + len);
  const metas = (ptr, len) => rt.decodeMetas(ptr, len);
  const proxy = {
    async get(k) {
      const kb = key(k);
      try {
        return await c(data, (id) => rt.withBytes([kb], (p, n) => M._slatedb_store_get(handle(), p, n, id)));
      } catch (e) {
        if (e.code === 'NotFound') return null;
        throw e;
      }
    },
    async getRange(k, offset, length) {
      const kb = key(k);
      try {
        return await c(data, (id) => rt.withBytes([kb], (p, n) =>
          M._slatedb_store_get_range(handle(), p, n, offset, length, id)));
      } catch (e) {
        if (e.code === 'NotFound') return null;
        throw e;
      }
    },
    async head(k) {
      const kb = key(k);
      try {
        return (await c(metas, (id) => rt.withBytes([kb], (p, n) => M._slatedb_store_head(handle(), p, n, id))))[0];
      } catch (e) {
        if (e.code === 'NotFound') return null;
        throw e;
      }
    },
    async put(k, bytesIn, opts) {
      const kb = key(k);
      const mode = { overwrite: 0, createIfAbsent: 1, replaceIfVersionMatches: 2 }[opts?.mode ?? 'overwrite'];
      if (mode === undefined) throw new StoreError('Invalid', `unknown put mode: ${opts?.mode}`);
      const db = bytes(bytesIn, 'data');
      const vb = encoder.encode(opts?.expectedVersion ?? '');
      return (await c(metas, (id) => rt.withBytes([kb, db, vb], (kp, kl, dp, dl, vp, vl) =>
        M._slatedb_store_put(handle(), kp, kl, dp, dl, mode, vp, vl, id))))[0];
    },
    async list(prefix = '', startAfter = '') {
      const pb = encoder.encode(prefix);
      const sb = encoder.encode(startAfter ?? '');
      return c(metas, (id) => rt.withBytes([pb, sb], (pp, pl, sp, sl) =>
        M._slatedb_store_list(handle(), pp, pl, sp, sl, id)));
    },
    async delete(k) {
      const kb = key(k);
      await c(null, (id) => rt.withBytes([kb], (p, n) => M._slatedb_store_delete(handle(), p, n, id)));
    },
    describe() { return desc; },
    free() {
      if (!freed) { freed = true; M._slatedb_store_free(h); }
    },
    // SlateDB.open() uses the C++ store directly instead of calling back into JS.
    [NATIVE_STORE](module) {
      if (module !== M) throw new InvalidError('store belongs to another instance of the module');
      return M._slatedb_store_clone(handle());
    },
  };
  return proxy;
}
