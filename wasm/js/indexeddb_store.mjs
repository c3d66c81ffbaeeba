// SPDX-License-Identifier: Apache-2.0
//
// IndexedDbStore: a persistent object store inside the browser (or a worker), so a database
// survives page reloads without any server. Implements the store protocol of
// memory_store.mjs.
//
//   const store = await IndexedDbStore.open('my-app');   // one IndexedDB database per name
//   const db = await SlateDB.open({ store, path: 'db' });
//
// Layout: two object stores in one IndexedDB database, "meta" (key -> {size, version,
// lastModified}) and "data" (key -> Uint8Array). list() reads only "meta".
// Atomicity: every put runs its check and its writes in one readwrite transaction over both
// object stores, and IndexedDB runs such transactions one at a time (also across tabs of
// the same origin), so createIfAbsent and replaceIfVersionMatches are atomic, and a reader
// sees either the old or the new object, whole.
import { StoreError, checkRange, compareKeys, putOptions, toBytes, validateKey } from './store_common.mjs';
import { describeAs, quote } from './inspect.mjs';

export { StoreError } from './store_common.mjs';

const META = 'meta';
const DATA = 'data';

function idbError(what, err) {
  const name = err?.name ?? '';
  const msg = `IndexedDB ${what} failed: ${name}${err?.message ? `: ${err.message}` : ''}`;
  // Quota errors will not go away by retrying: report them as Invalid.
  return new StoreError(name === 'QuotaExceededError' ? 'Invalid' : 'Unavailable', msg);
}

function newVersion() {
  const b = new Uint8Array(8);
  globalThis.crypto.getRandomValues(b);
  return Date.now().toString(36) + '-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export class IndexedDbStore {
  /**
   * Opens (creating if needed) the IndexedDB database `name`.
   * @param {string} [name]
   * @param {{indexedDB?: IDBFactory}} [options]  the factory (default globalThis.indexedDB)
   */
  static open(name = 'slatedb', options = {}) {
    const factory = options.indexedDB ?? globalThis.indexedDB;
    if (!factory) return Promise.reject(new StoreError('Invalid', 'IndexedDB is not available here'));
    return new Promise((resolve, reject) => {
      const req = factory.open(name, 1);
      req.onupgradeneeded = () => {
        const idb = req.result;
        if (!idb.objectStoreNames.contains(META)) idb.createObjectStore(META);
        if (!idb.objectStoreNames.contains(DATA)) idb.createObjectStore(DATA);
      };
      req.onsuccess = () => resolve(new IndexedDbStore(req.result, name));
      req.onerror = () => reject(idbError('open', req.error));
      req.onblocked = () => reject(new StoreError('Unavailable', `IndexedDB ${name} is blocked by another connection`));
    });
  }

  /** Deletes the whole IndexedDB database `name` (close stores on it first). */
  static destroy(name = 'slatedb', options = {}) {
    const factory = options.indexedDB ?? globalThis.indexedDB;
    return new Promise((resolve, reject) => {
      const req = factory.deleteDatabase(name);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(idbError('deleteDatabase', req.error));
    });
  }

  constructor(idb, name) {
    this._idb = idb;
    this._name = name;
    this.counts = { get: 0, getRange: 0, head: 0, put: 0, list: 0, delete: 0 };
  }

  describe() { return `indexeddb:${this._name}`; }

  /** Closes the IndexedDB connection. */
  close() { this._idb.close(); }

  // Runs `body(tx, settle)` in one transaction; resolves with what settle() was given once
  // the transaction commits (so a resolved put is durable in IndexedDB's terms).
  _tx(stores, mode, what, body) {
    return new Promise((resolve, reject) => {
      let tx;
      try {
        tx = this._idb.transaction(stores, mode);
      } catch (e) {
        reject(idbError(what, e));
        return;
      }
      let result;
      let failure = null;
      const fail = (e) => {
        if (failure === null) failure = e;
        try { tx.abort(); } catch { /* already finished */ }
      };
      tx.oncomplete = () => (failure ? reject(failure) : resolve(result));
      tx.onabort = () => reject(failure ?? idbError(what, tx.error));
      tx.onerror = (ev) => { ev.preventDefault?.(); };
      try {
        body(tx, (v) => { result = v; }, fail);
      } catch (e) {
        fail(e instanceof StoreError ? e : idbError(what, e));
      }
    });
  }

  async get(key) {
    this.counts.get++;
    validateKey(key);
    const data = await this._tx([DATA], 'readonly', 'get', (tx, settle) => {
      const r = tx.objectStore(DATA).get(key);
      r.onsuccess = () => settle(r.result);
    });
    return data === undefined ? null : new Uint8Array(data);
  }

  async getRange(key, offset, length) {
    this.counts.getRange++;
    validateKey(key);
    checkRange(offset, length);
    const data = await this.get(key);
    this.counts.get--;
    if (data === null) return null;
    if (offset > data.length) {
      throw new StoreError('Invalid', `range offset ${offset} beyond size ${data.length}: ${key}`);
    }
    return data.slice(offset, Math.min(data.length, offset + length));
  }

  async head(key) {
    this.counts.head++;
    validateKey(key);
    const m = await this._tx([META], 'readonly', 'head', (tx, settle) => {
      const r = tx.objectStore(META).get(key);
      r.onsuccess = () => settle(r.result);
    });
    return m === undefined ? null : { key, ...m };
  }

  async put(key, data, options) {
    this.counts.put++;
    validateKey(key);
    const { mode, expectedVersion } = putOptions(options);
    const bytes = toBytes(data, 'data').slice();  // our own copy
    const meta = { size: bytes.length, version: newVersion(), lastModified: Date.now() };
    await this._tx([META, DATA], 'readwrite', 'put', (tx, settle, fail) => {
      const metas = tx.objectStore(META);
      const write = () => {
        metas.put(meta, key);
        tx.objectStore(DATA).put(bytes, key);
        settle();
      };
      if (mode === 'overwrite') return write();
      const r = metas.get(key);
      r.onsuccess = () => {
        const existing = r.result;
        if (mode === 'createIfAbsent' && existing !== undefined) {
          return fail(new StoreError('AlreadyExists', `object exists: ${key}`));
        }
        if (mode === 'replaceIfVersionMatches') {
          if (existing === undefined) return fail(new StoreError('NotFound', `no object ${key}`));
          if (existing.version !== expectedVersion) {
            return fail(new StoreError('VersionMismatch',
                                       `version of ${key} is ${existing.version}, not ${expectedVersion}`));
          }
        }
        write();
      };
    });
    return { key, ...meta };
  }

  async list(prefix = '', startAfter = '') {
    this.counts.list++;
    const out = [];
    await this._tx([META], 'readonly', 'list', (tx, settle) => {
      // Keys with the prefix are contiguous in IndexedDB's (UTF-16) order as in byte order;
      // only the order within them differs, so collect and sort by bytes.
      const range = prefix === '' ? undefined : IDBKeyRange.lowerBound(prefix);
      const r = tx.objectStore(META).openCursor(range);
      r.onsuccess = () => {
        const c = r.result;
        if (!c || !String(c.key).startsWith(prefix)) return settle();
        const key = String(c.key);
        if (startAfter === '' || compareKeys(key, startAfter) > 0) out.push({ key, ...c.value });
        c.continue();
      };
    });
    out.sort((a, b) => compareKeys(a.key, b.key));
    return out;
  }

  async delete(key) {
    this.counts.delete++;
    validateKey(key);
    await this._tx([META, DATA], 'readwrite', 'delete', (tx, settle) => {
      tx.objectStore(META).delete(key);
      tx.objectStore(DATA).delete(key);
      settle();
    });
  }
}

describeAs(IndexedDbStore, function () { return `IndexedDbStore { name: ${quote(this._name)} }`; });
