// SPDX-License-Identifier: Apache-2.0
//
// SlateDB for JavaScript (Node 20+ and browsers/workers with wasm tail calls).
//
//   import { SlateDB, MemoryStore } from './slatedb.mjs';
//   const db = await SlateDB.open({ store: new MemoryStore(), path: 'db' });
//   await db.put('k', 'v');                        // strings are UTF-8 encoded
//   const v = await db.get('k');                   // Uint8Array | undefined
//   for await (const [k, v] of db.scan('a', 'z')) { ... }
//   await db.close();
//
// Keys and values are Uint8Array (strings, ArrayBuffers and typed arrays are accepted).
// Every call returns a Promise; failures reject with a SlateDBError subclass whose `.kind` is
// "transaction" | "closed" | "unavailable" | "invalid" | "data" | "internal" (ClosedError
// also has `.reason`: "clean" | "fenced" | "backgroundError").
//
// `store` is any object implementing the store protocol documented in memory_store.mjs
// (MemoryStore, NodeFsStore, an S3/fetch or IndexedDB/OPFS store), or the string "memory"
// for the in-memory store compiled into the module (fastest; not shareable with JS).
//
// This module is the package's entry point: it defines SlateDB and re-exports the rest of the
// API from the modules next to it.
import {
  awaitDurableOf, checkpointId, checkStore, decodeGet, decodeMany, decodeWrite, encodeCacheTargets,
  encodeFilterOptions, encodeKeys, encoder,
  encodeSettings, filterOptionsOf,
  isolationOf, keyArg, makeStoreHandle, optionalMs, readOptionsOf, ttlOf, valueArg,
} from './args.mjs';
import { ClosedError, InternalError, InvalidError } from './errors.mjs';
import { describeAs, hidden, quote } from './inspect.mjs';
import { makeScan, scanPrefixWith } from './iterator.mjs';
import { call, loadModule } from './module.mjs';
import { Snapshot } from './snapshot.mjs';
import { Transaction } from './transaction.mjs';
import { WriteBatch } from './write_batch.mjs';

export { MemoryStore } from './memory_store.mjs';
export { StoreError } from './store_common.mjs';
export { S3Store, s3Store } from './s3_store.mjs';
export { CachedStore, isImmutableSstKey } from './cached_store.mjs';
export { IndexedDbCacheBackend, MemoryCacheBackend, OpfsCacheBackend } from './cache_backends.mjs';
export {
  ClosedError, DataError, InternalError, InvalidError, SlateDBError, TransactionError, UnavailableError,
} from './errors.mjs';
export { loadModule } from './module.mjs';
export { NATIVE_STORE } from './args.mjs';
export { WriteBatch } from './write_batch.mjs';
export { DbIterator } from './iterator.mjs';
export { Snapshot } from './snapshot.mjs';
export { Transaction } from './transaction.mjs';
export { SlateDBReader } from './reader.mjs';
export { WalReader } from './wal_reader.mjs';
export { cppStore, nativeStoreProxy } from './store_proxy.mjs';

const dbRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_db_free(h)) : null;

// slatedb_db_delete(h, key, keyLen, awaitDurable, id) in SlateRt.invokeKey's shape.
const deleteExport = (M) => (M._slatedbDeleteExport ??=
  (h, kp, kl, durable, unused, id) => M._slatedb_db_delete(h, kp, kl, durable, id));

// --- SlateDB -------------------------------------------------------------------------------------

export class SlateDB {
  /**
   * Opens (creating if absent) the database at `path` in `store`.
   * @param {object} options
   * @param {object|"memory"} options.store  an object store (see memory_store.mjs)
   * @param {string} [options.path]  the database's prefix in the store ("" = the root)
   * @param {object} [options.settings]  upstream SlateDB's settings by name (docs/settings.md),
   *   e.g. {flushInterval: '50ms', compressionCodec: 'Zstd', compactorOptions: {pollInterval: '1s'}}
   *   or {'compactor_options.poll_interval': '1s'}; unknown names and bad values reject with
   *   InvalidError
   * @param {(key, existing, operand) => Uint8Array|string} [options.mergeOperator]
   * @param {object[]} [options.filterPolicies]  the filters written into new SSTs and the only
   *   ones reads consult: [{bitsPerKey = 10, wholeKeyFiltering = true, prefixExtractor}]
   *   ([]: none; omitted: one whole-key filter of settings.bloomBitsPerKey bits)
   * @param {object} [options.segmentExtractor]  splits the database into segments by key
   *   prefix; fixed at creation. Extractors are {name, prefixLen(data, isPoint)} (docs/wasm.md)
   * @param {object} [options.module]  options for loadModule()
   */
  static async open(options = {}) {
    if (options == null || typeof options !== 'object') {
      throw new InvalidError('SlateDB.open needs {store, path}');
    }
    const { store, path = '', settings, mergeOperator } = options;
    if (typeof path !== 'string') throw new InvalidError('path must be a string');
    if (mergeOperator != null && typeof mergeOperator !== 'function') {
      throw new InvalidError('mergeOperator must be a function (key, existing, operand) => bytes');
    }
    if (store !== 'memory') checkStore(store);
    const settingsBytes = encodeSettings(settings);
    const filters = filterOptionsOf(options);
    const M = await loadModule(options.module);
    const rt = M.slatedbRt;
    const storeHandle = makeStoreHandle(M, store);
    const mergeHandle = mergeOperator ? rt.register(mergeOperator) : 0;
    try {
      const h = await call(M, (ptr, len, num) => num, (id) =>
        rt.withBytes([encoder.encode(path), settingsBytes, encodeFilterOptions(rt, filters)],
          (pp, pl, sp, sl, fp, fl) =>
            M._slatedb_db_open(storeHandle, pp, pl, sp, sl, mergeHandle, fp, fl, id)));
      return new SlateDB(M, h, { path, store: storeName(store), storeObject: store });
    } finally {
      M._slatedb_store_free(storeHandle);  // the Db (if any) keeps its own reference
    }
  }

  constructor(M, h, where = {}) {
    hidden(this, '_M', M);
    this._h = h;
    this.path = where.path ?? '';
    hidden(this, '_store', where.store ?? 'store');
    hidden(this, '_storeObject', where.storeObject ?? null);
    hidden(this, '_closed', null);  // null while open, else the close reason seen
    dbRegistry?.register(this, { M, h }, this);
  }

  _handle() {
    if (!this._h) throw new ClosedError('database handle was released', 'clean');
    return this._h;
  }

  /** Writes `value` under `key`. Options: {awaitDurable = true, ttl (ms)}. */
  put(key, value, options) {
    // Not `async`: returning call()'s Promise directly saves microtask hops per call;
    // argument errors still arrive as rejections.
    try {
      const k = keyArg(key);
      const v = valueArg(value, 'value');
      const ttl = ttlOf(options);
      const durable = awaitDurableOf(options);
      const M = this._M;
      return M.slatedbRt.invokeKeyValue(decodeWrite(M), M._slatedb_db_put, this._handle(), k, v, ttl, durable);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Appends a merge operand (needs a mergeOperator at open to be read back). */
  merge(key, operand, options) {
    // Not `async`: returning call()'s Promise directly saves microtask hops per call;
    // argument errors still arrive as rejections.
    try {
      const k = keyArg(key);
      const v = valueArg(operand, 'operand');
      const ttl = ttlOf(options);
      const durable = awaitDurableOf(options);
      const M = this._M;
      return M.slatedbRt.invokeKeyValue(decodeWrite(M), M._slatedb_db_merge, this._handle(), k, v, ttl, durable);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Deletes `key` (OK if absent). Options: {awaitDurable = true}. */
  delete(key, options) {
    // Not `async`: returning call()'s Promise directly saves microtask hops per call;
    // argument errors still arrive as rejections.
    try {
      const k = keyArg(key);
      const durable = awaitDurableOf(options);
      const M = this._M;
      return M.slatedbRt.invokeKey(decodeWrite(M), deleteExport(M), this._handle(), k, durable, 0);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Applies a WriteBatch (or an array of operations, see WriteBatch.from) atomically. */
  async write(batch, options) {
    const b = WriteBatch.from(batch);
    if (b.size === 0) throw new InvalidError('batch is empty');
    const ops = b._encode();
    const durable = awaitDurableOf(options);
    const M = this._M;
    return call(M, decodeWrite(M), (id) =>
      M.slatedbRt.withBytes([ops], (p, n) => M._slatedb_db_write(this._handle(), p, n, durable, id)));
  }

  /** Same as write(). */
  batch(ops, options) { return this.write(ops, options); }

  /** The value of `key` (Uint8Array) or undefined. Options: {durabilityFilter, dirty}. */
  get(key, options) {
    // Not `async`: returning call()'s Promise directly saves microtask hops per call;
    // argument errors still arrive as rejections.
    try {
      const k = keyArg(key);
      const M = this._M;
      if (options === undefined) {
        return M.slatedbRt.invokeKey(decodeGet(M), M._slatedb_db_get, this._handle(), k, 0, 0);
      }
      const [durability, dirty] = readOptionsOf(options);
      return M.slatedbRt.invokeKey(decodeGet(M), M._slatedb_db_get, this._handle(), k, durability, dirty);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * The values of `keys` (an iterable of keys), in the same order: Uint8Array or undefined
   * each. One read of the database for all of them: each SST block is fetched once, the
   * fetches are issued together (docs/caches.md). Options: {durabilityFilter, dirty}.
   */
  async getMany(keys, options) {
    const encoded = encodeKeys(keys);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeMany(M), (id) => M.slatedbRt.withBytes([encoded], (p, n) =>
      M._slatedb_db_get_many(this._handle(), p, n, durability, dirty, id)));
  }

  /**
   * Iterates [start, end) in key order: `for await (const [k, v] of db.scan(start, end))`.
   * `start` undefined/empty: from the first key; `end` undefined/empty: to the last key.
   * Options: {durabilityFilter, dirty, order, filterPrefix (bytes every key of the range starts
   * with: SSTs whose prefix filters rule it out are skipped; it does not narrow the range)}.
   * The returned iterator also has seek(key) and close().
   */
  scan(start, end, options) {
    return makeScan(this, start, end, options, (id, sp, sl, ep, el, dur, dirty, order, fp, fl, hasFp) =>
      this._M._slatedb_db_scan(this._handle(), sp, sl, ep, el, dur, dirty, order, fp, fl, hasFp, id));
  }

  /**
   * Every key starting with `prefix` (an empty prefix scans everything). The prefix is also
   * the scan's filterPrefix: SSTs whose prefix filters rule it out are skipped unread.
   */
  scanPrefix(prefix, options) {
    return scanPrefixWith(this._M, prefix, options, (start, end, o) => this.scan(start, end, o));
  }

  /**
   * Starts a transaction (see Transaction). `isolation`: 'si' / 'snapshot' (default) or
   * 'ssi' / 'serializable' / 'serializable_snapshot' (case-insensitive).
   */
  async begin(isolation) {
    const level = isolationOf(isolation);
    const M = this._M;
    const h = await call(M, (ptr, len, num) => num, (id) => M._slatedb_db_begin(this._handle(), level, id));
    return new Transaction(this, h, level === 1 ? 'ssi' : 'si');
  }

  /** A consistent read-only view of the database as of now (see Snapshot). */
  async snapshot() {
    const M = this._M;
    const h = await call(M, (ptr, len, num) => num, (id) => M._slatedb_db_snapshot(this._handle(), id));
    return new Snapshot(this, h);
  }

  /**
   * Upstream's warm_sst (docs/caches.md, "Per-SST control"): loads `targets` of SST `sstId`
   * (a ULID) into this database's caches, so reads of them make no request: 'filters' and
   * 'index' open the SST, 'data' or {type: 'data', range: {start, end, startInclusive,
   * endInclusive}} also loads the data blocks of that range into the block cache, 'stats'
   * loads nothing into memory. When the store is a CachedStore the whole SST is also brought
   * into it. Nothing for an SST the database does not list. A malformed id rejects with
   * code "Invalid" ("invalid SST ULID: invalid length"); a closed database with ClosedError.
   */
  async warmSst(sstId, targets = []) {
    const encoded = encodeCacheTargets(targets);
    const M = this._M;
    await call(M, null, (id) => M.slatedbRt.withBytes([String(sstId), encoded],
      (ip, il, tp, tl) => M._slatedb_db_warm_sst(this._handle(), ip, il, tp, tl, id)));
    if (encoded.length > 0 && typeof this._storeObject?.warmSst === 'function') {
      await this._storeObject.warmSst(this.path, sstId);
    }
  }

  /**
   * Upstream's evict_cached_sst: drops what the caches hold of SST `sstId` (its blocks, its
   * filter and index, and its parts in a CachedStore), so its next read fetches it again.
   * After close(): ClosedError for an SST the database lists, nothing for any other.
   */
  async evictCachedSst(sstId) {
    const M = this._M;
    await call(M, null, (id) => M.slatedbRt.withBytes([String(sstId)],
      (ip, il) => M._slatedb_db_evict_cached_sst(this._handle(), ip, il, id)));
    if (typeof this._storeObject?.evictCachedSst === 'function') {
      await this._storeObject.evictCachedSst(this.path, sstId);
    }
  }

  /** Upstream's flush_cache_to_disk: waits for a CachedStore's part writes under way. */
  async flushCacheToDisk() {
    const M = this._M;
    await call(M, null, (id) => M._slatedb_db_flush_cache_to_disk(this._handle(), id));
    if (typeof this._storeObject?.flushCacheToDisk === 'function') await this._storeObject.flushCacheToDisk();
  }

  /** Uploads buffered writes ("wal", default) or also the memtable ("memtable"). */
  async flush(type = 'wal') {
    const t = typeof type === 'object' && type !== null ? type.type ?? type.flushType ?? 'wal' : type;
    const lt = typeof t === 'string' ? t.toLowerCase() : t;
    if (lt !== 'wal' && lt !== 'memtable') {
      throw new InvalidError(`invalid flush_type: ${t} (expected 'wal' or 'memtable')`);
    }
    const M = this._M;
    return call(M, null, (id) => M._slatedb_db_flush(this._handle(), lt === 'memtable' ? 1 : 0, id));
  }

  /**
   * Flushes and closes; later calls fail with ClosedError (reason "clean"). Safe in any state,
   * so it belongs in `finally`: on a handle already closed, fenced by another writer or
   * stopped by a background error it resolves and reports instead of throwing. Resolves with
   * {reason: 'clean'} or {reason: 'fenced' | 'backgroundError', error} (the ClosedError every
   * call fails with). Rejects only if the final flush fails on a handle that is still open
   * (writes not yet durable would be lost; the handle stays open and close() may be retried).
   */
  async close() {
    const M = this._M;
    try {
      await call(M, null, (id) => M._slatedb_db_close(this._handle(), id));
      this._closed = 'clean';
      return { reason: 'clean' };
    } catch (e) {
      if (!(e instanceof ClosedError)) throw e;
      this._closed = e.reason;
      return e.reason === 'clean' ? { reason: 'clean' } : { reason: e.reason, error: e };
    }
  }

  /** Resolves while open; rejects with the error every call now fails with. */
  async status() {
    const M = this._M;
    return call(M, null, (id) => M._slatedb_db_status(this._handle(), id));
  }

  /**
   * The LSM tree as this writer sees it (Db::StateJson, core/include/slatedb/db.h): manifest
   * id and epochs, L0 SSTs (newest first) and sorted runs with each SST's id, approximate bytes and
   * key range (`first_key`/`last_key` as hex), memtable fill, immutable memtables and the WAL
   * buffer. Read-only, no I/O.
   */
  async state() {
    const M = this._M;
    const text = await call(M, (ptr, len) => M.slatedbRt.utf8(ptr, len),
      (id) => M._slatedb_db_state(this._handle(), id));
    return JSON.parse(text);
  }

  /**
   * Creates a checkpoint pinning a version of the database (GC keeps it and everything it
   * references until it expires or is deleted). Options: {scope: 'all' (default: flush
   * first, so every write so far is included) | 'durable', lifetime (ms; default: never
   * expires), source (an existing checkpoint id to pin the same version), name}.
   * Resolves with {id, manifestId}.
   */
  async createCheckpoint(options = {}) {
    const o = options ?? {};
    const scope = typeof o.scope === 'string' ? o.scope.toLowerCase() : o.scope ?? 'all';
    if (scope !== 'all' && scope !== 'durable') {
      throw new InvalidError(`invalid checkpoint scope: ${o.scope} (expected 'all' or 'durable')`);
    }
    const lifetime = optionalMs(o.lifetime, 'lifetime');
    if (o.source != null && typeof o.source !== 'string') throw new InvalidError('source must be a checkpoint id string');
    if (o.name != null && typeof o.name !== 'string') throw new InvalidError('name must be a string');
    const M = this._M;
    const r = await call(M, (ptr, len) => JSON.parse(M.slatedbRt.utf8(ptr, len)), (id) =>
      M.slatedbRt.withBytes([o.source ?? null, o.name ?? null], (sp, sl, np, nl) =>
        M._slatedb_db_checkpoint_create(this._handle(), scope === 'durable' ? 1 : 0, lifetime,
                                        o.source != null ? 1 : 0, sp, sl, np, nl, id)));
    return { id: r.id, manifestId: r.manifest_id };
  }

  /** Sets checkpoint `id` to expire `lifetime` ms from now (undefined/null: never). */
  async refreshCheckpoint(id, lifetime) {
    const ms = optionalMs(lifetime, 'lifetime');
    const M = this._M;
    return call(M, null, (cid) => M.slatedbRt.withBytes([checkpointId(id)], (p, n) =>
      M._slatedb_db_checkpoint_refresh(this._handle(), p, n, ms, cid)));
  }

  /** Deletes checkpoint `id` (deleting a missing one is fine). */
  async deleteCheckpoint(id) {
    const M = this._M;
    return call(M, null, (cid) => M.slatedbRt.withBytes([checkpointId(id)], (p, n) =>
      M._slatedb_db_checkpoint_delete(this._handle(), p, n, cid)));
  }

  /** The checkpoints: [{id, manifestId, createTime, expireTime (null: never), name}] (ms). */
  async listCheckpoints() {
    const M = this._M;
    const list = await call(M, (ptr, len) => JSON.parse(M.slatedbRt.utf8(ptr, len)),
      (id) => M._slatedb_db_checkpoint_list(this._handle(), id));
    return list.map((c) => ({ id: c.id, manifestId: c.manifest_id, createTime: c.create_time_ms,
                              expireTime: c.expire_time_ms, name: c.name }));
  }

  /** Engine counters (object-store requests, flushes, ...) as an object. */
  async metrics() {
    const M = this._M;
    const text = await call(M, (ptr, len) => M.slatedbRt.utf8(ptr, len),
      (id) => M._slatedb_db_metrics(this._handle(), id));
    return JSON.parse(text);
  }

  /** The settings the database opened with, as upstream's settings document. */
  async settings() {
    const M = this._M;
    const text = await call(M, (ptr, len) => M.slatedbRt.utf8(ptr, len),
      (id) => M._slatedb_db_settings(this._handle(), id));
    return JSON.parse(text);
  }

  /**
   * Every setting (the core's table): [{name, camelName, type, nullable, effect, upstream,
   * doc}]. `effect` is 'applied', 'no-effect' (upstream's, accepted and kept, unused here) or
   * 'default-only' (upstream's, only its default accepted).
   */
  static async settingsTable(options = {}) {
    const M = await loadModule(options.module);
    return JSON.parse(M.slatedbRt.callSync(utf8Of(M), null, (id) => M._slatedb_settings_table(id)));
  }

  /**
   * The settings document an open with `settings` would use (the defaults when omitted),
   * checked as SlateDB.open checks them: rejects with InvalidError otherwise.
   */
  static async resolveSettings(settings, options = {}) {
    const bytesIn = encodeSettings(settings);
    const M = await loadModule(options.module);
    const rt = M.slatedbRt;
    return JSON.parse(rt.callSync(utf8Of(M), null, (id) =>
      rt.withBytes([bytesIn], (p, n) => M._slatedb_settings_resolve(p, n, id))));
  }

  /**
   * The core's error-kind table: {kinds: [{kind, name, messagePrefix, pythonClass,
   * uniffiVariant, jsClass}], codes: [...], closeReasons: [...]}.
   */
  static async errorKinds(options = {}) {
    const M = await loadModule(options.module);
    return JSON.parse(M.slatedbRt.callSync(utf8Of(M), null, (id) => M._slatedb_error_tables(id)));
  }
}

const utf8Of = (M) => (ptr, len) => M.slatedbRt.utf8(ptr, len);
// A store's name for descriptions: its describe(), else its class.
function storeName(store) {
  if (store === 'memory') return 'memory';
  try {
    if (typeof store.describe === 'function') return String(store.describe());
  } catch { /* fall through */ }
  return store?.constructor?.name ?? 'store';
}

describeAs(SlateDB, function () {
  const state = this._closed === null ? 'open' : this._closed === 'clean' ? 'closed' : `closed (${this._closed})`;
  return `SlateDB { path: ${quote(this.path)}, store: ${quote(this._store)}, state: '${state}' }`;
});

export default SlateDB;
