// SPDX-License-Identifier: Apache-2.0
//
// observeStore(store, onRequest): wraps any store of the protocol (memory_store.mjs) and
// reports every call after it settles, for request logs and request/byte counts (the
// browser demo's log uses it). The wrapper changes nothing about the calls themselves.
//
//   onRequest({op, key, ok, code, sentBytes, receivedBytes, ms})
//     op: "get" | "getRange" | "head" | "put" | "list" | "delete"
//     key: the key (the prefix for list); ok: settled without error;
//     code: the error's .code when not ok (e.g. "NotFound" is never an error: get -> null)
//     sentBytes: bytes of a put; receivedBytes: bytes of a get/getRange result
//
// An S3Store reports its HTTP exchanges itself (S3Store.open({onRequest})); wrapping it here
// would also work but routes every request through JS twice.

export function observeStore(store, onRequest) {
  const report = (info) => {
    try { onRequest(info); } catch { /* an observer never breaks a call */ }
  };
  const wrap = (op, keyOf, sentOf, receivedOf) => async (...args) => {
    const started = Date.now();
    const info = { op, key: keyOf(args), sentBytes: sentOf(args), receivedBytes: 0 };
    try {
      const res = await store[op](...args);
      report({ ...info, ok: true, receivedBytes: receivedOf(res), ms: Date.now() - started });
      return res;
    } catch (e) {
      report({ ...info, ok: false, code: e?.code ?? 'Unavailable', ms: Date.now() - started });
      throw e;
    }
  };
  const none = () => 0;
  const first = (args) => String(args[0] ?? '');
  const size = (res) => (res && typeof res.length === 'number' ? res.length : 0);
  return {
    get: wrap('get', first, none, size),
    getRange: wrap('getRange', first, none, size),
    head: wrap('head', first, none, none),
    put: wrap('put', first, (args) => args[1]?.byteLength ?? args[1]?.length ?? 0, none),
    list: wrap('list', first, none, none),
    delete: wrap('delete', first, none, none),
    describe: () => `observed(${store.describe?.() ?? 'js'})`,
  };
}
