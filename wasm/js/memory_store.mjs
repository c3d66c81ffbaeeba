// SPDX-License-Identifier: Apache-2.0
//
// MemoryStore: a pure-JavaScript in-memory object store, and the reference for the store
// protocol that SlateDB.open({store}) accepts (the C++ side is wasm/src/js_object_store.h).
//
// The protocol. Keys are strings ('/'-separated, see validateKey); data is Uint8Array.
// Every method returns a Promise (or a value, which is treated like a resolved Promise):
//
//   get(key)                       -> Uint8Array | null           null (or undefined) = NotFound
//   getRange(key, offset, length)  -> Uint8Array | null           bytes [offset, offset+length)
//                                     that exist; offset > size rejects with code "Invalid"
//   head(key)                      -> ObjectMeta | null
//   put(key, data, {mode, expectedVersion})
//                                  -> ObjectMeta of the new object
//        mode "overwrite"                 replace unconditionally (default)
//        mode "createIfAbsent"            reject "AlreadyExists" if the key exists (atomic!)
//        mode "replaceIfVersionMatches"   reject "VersionMismatch" unless the current
//                                         version is expectedVersion ("NotFound" if absent)
//   list(prefix, startAfter)       -> ObjectMeta[] with key starting with prefix and sorting
//                                     after startAfter ("" = all), ascending byte order
//   delete(key)                    -> undefined; deleting a missing key succeeds
//
//   ObjectMeta = {key: string, size: number, lastModified: number (ms since epoch),
//                 version: string (opaque, e.g. an ETag)}
//
// Failures reject with an Error whose `.code` is one of "NotFound", "AlreadyExists",
// "VersionMismatch", "Unavailable" (transient: the engine retries), "Invalid", "Data"; any
// other error counts as "Unavailable". Once a put resolves, every later get sees the whole
// new object.
import { StoreError, checkRange, compareKeys, putOptions, toBytes, validateKey } from './store_common.mjs';
import { describeAs } from './inspect.mjs';

export { StoreError } from './store_common.mjs';

export class MemoryStore {
  /** @param {{now?: () => number}} [options] clock for lastModified (default Date.now) */
  constructor(options = {}) {
    this._objects = new Map();  // key -> {data, version, lastModified}
    this._nextVersion = 1;
    this._now = options.now ?? Date.now;
    /** Requests received, per method (for tests and request accounting). */
    this.counts = { get: 0, getRange: 0, head: 0, put: 0, list: 0, delete: 0 };
  }

  describe() { return 'js-memory'; }

  async get(key) {
    this.counts.get++;
    validateKey(key);
    const o = this._objects.get(key);
    return o ? o.data.slice() : null;
  }

  async getRange(key, offset, length) {
    this.counts.getRange++;
    validateKey(key);
    checkRange(offset, length);
    const o = this._objects.get(key);
    if (!o) return null;
    if (offset > o.data.length) {
      throw new StoreError('Invalid', `range offset ${offset} beyond size ${o.data.length}: ${key}`);
    }
    return o.data.slice(offset, Math.min(o.data.length, offset + length));
  }

  async head(key) {
    this.counts.head++;
    validateKey(key);
    const o = this._objects.get(key);
    return o ? meta(key, o) : null;
  }

  async put(key, data, options) {
    this.counts.put++;
    validateKey(key);
    const { mode, expectedVersion } = putOptions(options);
    const bytes = toBytes(data, 'data').slice();  // our own copy
    const existing = this._objects.get(key);
    if (mode === 'createIfAbsent' && existing) {
      throw new StoreError('AlreadyExists', `object exists: ${key}`);
    }
    if (mode === 'replaceIfVersionMatches') {
      if (!existing) throw new StoreError('NotFound', `no object ${key}`);
      if (existing.version !== expectedVersion) {
        throw new StoreError('VersionMismatch',
                             `version of ${key} is ${existing.version}, not ${expectedVersion}`);
      }
    }
    const o = { data: bytes, version: String(this._nextVersion++), lastModified: this._now() };
    this._objects.set(key, o);
    return meta(key, o);
  }

  async list(prefix = '', startAfter = '') {
    this.counts.list++;
    const out = [];
    for (const [key, o] of this._objects) {
      if (key.startsWith(prefix) && (startAfter === '' || compareKeys(key, startAfter) > 0)) {
        out.push(meta(key, o));
      }
    }
    out.sort((a, b) => compareKeys(a.key, b.key));
    return out;
  }

  async delete(key) {
    this.counts.delete++;
    validateKey(key);
    this._objects.delete(key);
  }

  /** Number of objects stored. */
  get size() { return this._objects.size; }
}

function meta(key, o) {
  return { key, size: o.data.length, lastModified: o.lastModified, version: o.version };
}

describeAs(MemoryStore, function () { return `MemoryStore { objects: ${this._objects.size} }`; });
