// SPDX-License-Identifier: Apache-2.0
//
// Where the persistent cache (cached_store.mjs) keeps its part files:
//   OpfsCacheBackend       the Origin Private File System (navigator.storage.getDirectory()),
//                          one file per part in <rootFolder>/parts/
//   IndexedDbCacheBackend  IndexedDB database "slatedb-cache:<rootFolder>", where OPFS (or
//                          its createWritable) is missing
//   MemoryCacheBackend     a Map, for Node and tests (a new CachedStore on the same backend
//                          object sees what an earlier one wrote, as after a page reload)
//
// A backend holds named byte files:
//   list()              -> [{name, size, modified}]   every file, modified in ms
//   open(name)          -> {size, read(offset, length) -> Uint8Array} | null if absent
//   write(name, bytes)  replaces the file whole (a reader sees the old or the new file)
//   remove(name)        deleting a missing file succeeds
//   close()

export class MemoryCacheBackend {
  constructor() {
    this.kind = 'memory';
    this._files = new Map();  // name -> {bytes, modified}
  }
  async list() {
    return [...this._files].map(([name, f]) => ({ name, size: f.bytes.length, modified: f.modified }));
  }
  async open(name) {
    const f = this._files.get(name);
    if (!f) return null;
    const bytes = f.bytes;
    return { size: bytes.length, read: async (offset, length) => bytes.slice(offset, offset + length) };
  }
  async write(name, bytes) { this._files.set(name, { bytes: bytes.slice(), modified: Date.now() }); }
  async remove(name) { this._files.delete(name); }
  close() {}
  /** The stored bytes of one file (tests damage them through this). */
  raw(name) { return this._files.get(name)?.bytes; }
  setRaw(name, bytes) { this._files.set(name, { bytes, modified: Date.now() }); }
}

export class OpfsCacheBackend {
  /** Whether this environment has OPFS with writable files. */
  static available() {
    return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function' &&
      typeof globalThis.FileSystemFileHandle === 'function' &&
      typeof globalThis.FileSystemFileHandle.prototype.createWritable === 'function';
  }

  static async open(rootFolder) {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(rootFolder, { create: true });
    const parts = await dir.getDirectoryHandle('parts', { create: true });
    return new OpfsCacheBackend(parts);
  }

  constructor(parts) {
    this.kind = 'opfs';
    this._dir = parts;
  }
  async list() {
    const out = [];
    for await (const [name, handle] of this._dir.entries()) {
      if (handle.kind !== 'file') continue;
      try {
        const file = await handle.getFile();
        out.push({ name, size: file.size, modified: file.lastModified });
      } catch { /* removed meanwhile */ }
    }
    return out;
  }
  async open(name) {
    let file;
    try {
      file = await (await this._dir.getFileHandle(name)).getFile();
    } catch {
      return null;
    }
    return {
      size: file.size,
      read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
    };
  }
  async write(name, bytes) {
    const handle = await this._dir.getFileHandle(name, { create: true });
    // The writable writes a swap file and replaces the file only on close().
    const writable = await handle.createWritable();
    try {
      await writable.write(bytes);
      await writable.close();
    } catch (e) {
      try { await writable.abort(); } catch { /* already closed */ }
      throw e;
    }
  }
  async remove(name) {
    try {
      await this._dir.removeEntry(name);
    } catch (e) {
      if (e?.name !== 'NotFoundError') throw e;
    }
  }
  close() {}
}

export class IndexedDbCacheBackend {
  static available(factory = globalThis.indexedDB) { return !!factory; }

  static open(rootFolder, factory = globalThis.indexedDB) {
    return new Promise((resolve, reject) => {
      const req = factory.open(`slatedb-cache:${rootFolder}`, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('meta');
        req.result.createObjectStore('data');
      };
      req.onsuccess = () => resolve(new IndexedDbCacheBackend(req.result));
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error(`IndexedDB slatedb-cache:${rootFolder} is blocked`));
    });
  }

  constructor(idb) {
    this.kind = 'indexeddb';
    this._idb = idb;
  }
  _tx(stores, mode, body) {
    return new Promise((resolve, reject) => {
      const tx = this._idb.transaction(stores, mode);
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onabort = tx.onerror = () => reject(tx.error);
      body(tx, (v) => { result = v; });
    });
  }
  async list() {
    const out = [];
    await this._tx(['meta'], 'readonly', (tx) => {
      const r = tx.objectStore('meta').openCursor();
      r.onsuccess = () => {
        const c = r.result;
        if (!c) return;
        out.push({ name: String(c.key), size: c.value.size, modified: c.value.modified });
        c.continue();
      };
    });
    return out;
  }
  async open(name) {
    const bytes = await this._tx(['data'], 'readonly', (tx, settle) => {
      const r = tx.objectStore('data').get(name);
      r.onsuccess = () => settle(r.result);
    });
    if (bytes === undefined) return null;
    const view = new Uint8Array(bytes);
    return { size: view.length, read: async (offset, length) => view.slice(offset, offset + length) };
  }
  async write(name, bytes) {
    await this._tx(['meta', 'data'], 'readwrite', (tx) => {
      tx.objectStore('meta').put({ size: bytes.length, modified: Date.now() }, name);
      tx.objectStore('data').put(bytes, name);
    });
  }
  async remove(name) {
    await this._tx(['meta', 'data'], 'readwrite', (tx) => {
      tx.objectStore('meta').delete(name);
      tx.objectStore('data').delete(name);
    });
  }
  close() { this._idb.close(); }
}
