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
import { MemoryStore } from './memory_store.mjs';
import { StoreError } from './store_common.mjs';

export { MemoryStore, StoreError };
export { S3Store, s3Store } from './s3_store.mjs';

const isNode = typeof process === 'object' && process !== null && process.versions != null &&
               process.versions.node != null && typeof window === 'undefined';
const encoder = new TextEncoder();

// --- errors --------------------------------------------------------------------------------------

export class SlateDBError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'SlateDBError';
    this.kind = kind;
  }
}
export class TransactionError extends SlateDBError {
  constructor(message) { super('transaction', message); this.name = 'TransactionError'; }
}
export class ClosedError extends SlateDBError {
  constructor(message, reason = 'clean') {
    super('closed', message);
    this.name = 'ClosedError';
    this.reason = reason;
  }
}
export class UnavailableError extends SlateDBError {
  constructor(message) { super('unavailable', message); this.name = 'UnavailableError'; }
}
export class InvalidError extends SlateDBError {
  constructor(message) { super('invalid', message); this.name = 'InvalidError'; }
}
export class DataError extends SlateDBError {
  constructor(message) { super('data', message); this.name = 'DataError'; }
}
export class InternalError extends SlateDBError {
  constructor(message) { super('internal', message); this.name = 'InternalError'; }
}

// slatedb::ErrorKind and slatedb::CloseReason numbers.
const CLOSE_REASONS = ['none', 'clean', 'fenced', 'backgroundError'];
function dbError(code, kind, reason, message) {
  switch (kind) {
    case 1: return new TransactionError(message);
    case 2: return new ClosedError(message, CLOSE_REASONS[reason] ?? 'clean');
    case 3: return new UnavailableError(message);
    case 4: return new InvalidError(message);
    case 5: return new DataError(message);
    default: return new InternalError(message);
  }
}
// Errors of the store proxy (SlateDB.nativeStore / tests) keep the store codes.
function storeError(code, kind, reason, message) {
  const names = ['Ok', 'NotFound', 'AlreadyExists', 'VersionMismatch', 'Transaction', 'Closed',
                 'Unavailable', 'Invalid', 'Data', 'Internal'];
  return new StoreError(names[code] ?? 'Internal', message);
}

// --- module loading ----------------------------------------------------------------------------

let modulePromise = null;

/**
 * Loads (once) and returns the Emscripten module. Options: `moduleUrl` (URL of
 * slatedb_wasm.mjs), `wasmUrl` / `wasmBinary` (the .wasm), `factory` (an already imported
 * createSlateDbModule). Defaults: ../dist/ next to this file. Called by SlateDB.open().
 */
export function loadModule(options = {}) {
  if (modulePromise && !options.reload) return modulePromise;
  modulePromise = (async () => {
    const moduleUrl = options.moduleUrl ?? new URL('../dist/slatedb_wasm.mjs', import.meta.url);
    const wasmUrl = options.wasmUrl ?? new URL('slatedb_wasm.wasm', moduleUrl);
    const factory = options.factory ?? (await import(String(moduleUrl))).default;
    const init = {};
    if (options.wasmBinary) {
      init.wasmBinary = options.wasmBinary;
    } else if (isNode) {
      // Emscripten 3.1.6's loader cannot read a file:// URL in Node; hand it the bytes.
      const { readFile } = await import('node:fs/promises');
      const { fileURLToPath } = await import('node:url');
      const u = new URL(String(wasmUrl));
      init.wasmBinary = await readFile(u.protocol === 'file:' ? fileURLToPath(u) : String(wasmUrl));
    } else {
      init.locateFile = (file) => (file.endsWith('.wasm') ? String(wasmUrl) : file);
    }
    const Module = await factory(init);
    Module.slatedbRt.setErrorFactory(dbError);
    return Module;
  })();
  modulePromise.catch(() => { modulePromise = null; });
  return modulePromise;
}

// --- argument helpers --------------------------------------------------------------------------

function bytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new InvalidError(`${what} must be a Uint8Array, ArrayBuffer, typed array or string`);
}
function keyBytes(key, what = 'key') {
  const b = bytes(key, what);
  if (b.length === 0) throw new InvalidError(`${what} cannot be empty`);
  return b;
}
// For the per-call paths (put/get/delete/merge): a string is passed through as is and
// encoded by withBytes straight into the wasm heap; anything else as keyBytes()/bytes().
function keyArg(key) {
  if (typeof key === 'string') {
    if (key.length === 0) throw new InvalidError('key cannot be empty');
    return key;
  }
  return keyBytes(key);
}
function valueArg(value, what) {
  return typeof value === 'string' ? value : bytes(value, what);
}
const ISOLATION = { si: 0, snapshot: 0, ssi: 1, serializable: 1, serializable_snapshot: 1 };
function isolationOf(isolation) {
  if (isolation === undefined || isolation === null) return 0;
  const level = typeof isolation === 'string' ? ISOLATION[isolation.toLowerCase()] : undefined;
  if (level === undefined) {
    throw new InvalidError(`invalid isolation level: ${isolation} (expected 'si', 'snapshot', 'ssi', 'serializable' or 'serializable_snapshot')`);
  }
  return level;
}
function optionalMs(v, what) {
  if (v === undefined || v === null) return NaN;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new InvalidError(`${what} must be a non-negative integer (milliseconds), got ${v}`);
  }
  return v;
}
function checkpointId(id) {
  if (typeof id !== 'string' || id.length === 0) throw new InvalidError('checkpoint id must be a non-empty string');
  return id;
}
function ttlOf(options) {
  const ttl = options?.ttl;
  if (ttl === undefined || ttl === null) return NaN;  // the database default
  if (!Number.isSafeInteger(ttl) || ttl < 0) {
    throw new InvalidError(`ttl must be a non-negative integer (milliseconds), got ${ttl}`);
  }
  return ttl;
}
function awaitDurableOf(options) {
  const v = options?.awaitDurable ?? options?.await_durable ?? true;
  if (typeof v !== 'boolean') throw new InvalidError('awaitDurable must be a boolean');
  return v ? 1 : 0;
}
function readOptionsOf(options) {
  const f = options?.durabilityFilter ?? options?.durability_filter ?? 'memory';
  const lf = typeof f === 'string' ? f.toLowerCase() : f;
  if (lf !== 'memory' && lf !== 'remote') {
    throw new InvalidError(`invalid durabilityFilter: ${f} (expected 'remote' or 'memory')`);
  }
  const dirty = options?.dirty ?? false;
  if (typeof dirty !== 'boolean') throw new InvalidError('dirty must be a boolean');
  return [lf === 'remote' ? 1 : 0, dirty ? 1 : 0];
}
function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// Settings: the engine's Settings (core/include/slatedb/options.h) in camelCase (snake_case
// accepted). The order is the C++ side's SettingIndex.
const SETTINGS = [
  ['flushIntervalMs', 'flush_interval_ms'],
  ['l0SstSizeBytes', 'l0_sst_size_bytes'],
  ['maxUnflushedBytes', 'max_unflushed_bytes'],
  ['l0MaxSsts', 'l0_max_ssts'],
  ['blockSizeBytes', 'block_size_bytes'],
  ['bloomBitsPerKey', 'bloom_bits_per_key'],
  ['minFilterKeys', 'min_filter_keys'],
  ['compression', 'compression'],
  ['defaultTtlMs', 'default_ttl_ms'],
  ['blockCacheBytes', 'block_cache_bytes'],
  ['objectStoreMaxRetries', 'object_store_max_retries'],
];
function encodeSettings(settings) {
  const v = new Float64Array(SETTINGS.length).fill(NaN);
  if (settings == null) return new Uint8Array(v.buffer);
  if (typeof settings !== 'object') throw new InvalidError('settings must be an object');
  const index = new Map();
  SETTINGS.forEach(([camel, snake], i) => { index.set(camel, i); index.set(snake, i); });
  for (const [name, value] of Object.entries(settings)) {
    const i = index.get(name);
    if (i === undefined) throw new InvalidError(`unknown setting: ${name}`);
    if (value === undefined) continue;
    if (SETTINGS[i][0] === 'compression') {
      if (value !== 'none' && value !== 'zstd') {
        throw new InvalidError(`compression must be 'none' or 'zstd', got ${value}`);
      }
      v[i] = value === 'none' ? 0 : 1;
    } else if (SETTINGS[i][0] === 'defaultTtlMs' && value === null) {
      v[i] = -1;  // explicitly no default TTL
    } else {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new InvalidError(`setting ${name} must be a non-negative integer, got ${value}`);
      }
      v[i] = value;
    }
  }
  return new Uint8Array(v.buffer);
}

const STORE_METHODS = ['get', 'getRange', 'head', 'put', 'list', 'delete'];
/**
 * A store implemented in C++ inside the module (S3Store, cppStore proxies) has a method
 * under this symbol that returns a new C++ StoreHandle for it; SlateDB.open() then talks to
 * it directly, with no round trip through JS per request.
 */
export const NATIVE_STORE = Symbol.for('slatedb.nativeStore');
function checkStore(store) {
  if (store == null || (typeof store !== 'object' && typeof store !== 'function')) {
    throw new InvalidError('store must be an object store or "memory"');
  }
  for (const m of STORE_METHODS) {
    if (typeof store[m] !== 'function') throw new InvalidError(`store has no ${m}() method`);
  }
}

// Creates a C++ StoreHandle for `store` (a protocol object or "memory").
function makeStoreHandle(M, store) {
  const rt = M.slatedbRt;
  if (store === 'memory') return M._slatedb_store_new_memory();
  checkStore(store);
  if (typeof store[NATIVE_STORE] === 'function') return store[NATIVE_STORE](M);
  let desc = 'js';
  try { if (typeof store.describe === 'function') desc = `js:${store.describe()}`; } catch {}
  const handle = rt.register(store);
  return rt.withBytes([encoder.encode(desc)], (p, n) => M._slatedb_store_new_js(handle, p, n));
}

// Starts an exported call: `start(callId)` calls the export; the Promise settles from C++.
function call(M, decode, start, makeError) {
  const rt = M.slatedbRt;
  const { id, promise } = rt.newCall(decode, makeError);
  try {
    start(id);
  } catch (e) {
    rt.abandonCall(id, e);
  }
  return promise;
}

const decodeWrite = (M) => (M._slatedbDecodeWrite ??= (ptr) => {
  const dv = new DataView(M.HEAPU8.buffer, ptr, 16);
  return { seq: dv.getFloat64(0, true), createTs: dv.getFloat64(8, true) };
});

const dbRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_db_free(h)) : null;
const iterRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_iter_free(h)) : null;

// --- WriteBatch ----------------------------------------------------------------------------------

/** Puts, deletes and merges applied atomically by db.write(batch). */
export class WriteBatch {
  constructor() { this._ops = []; }
  put(key, value, options) {
    this._ops.push([0, keyBytes(key), bytes(value, 'value'), ttlOf(options)]);
    return this;
  }
  delete(key) {
    this._ops.push([1, keyBytes(key), null, NaN]);
    return this;
  }
  merge(key, operand, options) {
    this._ops.push([2, keyBytes(key), bytes(operand, 'operand'), ttlOf(options)]);
    return this;
  }
  get size() { return this._ops.length; }

  // Accepts a WriteBatch or an array of ops: {type: 'put'|'delete'|'merge', key, value, ttl}
  // or tuples ['put', key, value, {ttl}], ['delete', key], ['merge', key, operand, {ttl}].
  static from(ops) {
    if (ops instanceof WriteBatch) return ops;
    if (!Array.isArray(ops)) throw new InvalidError('batch must be a WriteBatch or an array of operations');
    const b = new WriteBatch();
    for (const op of ops) {
      const [type, key, value, opts] = Array.isArray(op)
        ? op : [op?.type, op?.key, op?.value, { ttl: op?.ttl }];
      if (type === 'put') b.put(key, value, opts);
      else if (type === 'delete') b.delete(key);
      else if (type === 'merge') b.merge(key, value, opts);
      else throw new InvalidError(`unknown batch operation: ${type}`);
    }
    return b;
  }

  _encode() {
    let total = 0;
    for (const [, k, v] of this._ops) total += 17 + k.length + (v ? v.length : 0);
    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    let at = 0;
    for (const [type, k, v, ttl] of this._ops) {
      dv.setUint8(at, type); at += 1;
      dv.setFloat64(at, ttl, true); at += 8;
      dv.setUint32(at, k.length, true); at += 4;
      out.set(k, at); at += k.length;
      const vl = v ? v.length : 0;
      dv.setUint32(at, vl, true); at += 4;
      if (vl) { out.set(v, at); at += vl; }
    }
    return out;
  }
}

// --- iterator ------------------------------------------------------------------------------------

const BATCH_ENTRIES = 256;
const BATCH_BYTES = 1 << 20;

/**
 * The result of db.scan(): an async iterator of [key, value] (Uint8Array) pairs in ascending
 * key order over a fixed view of the database. Fetches entries from the engine in batches.
 */
export class DbIterator {
  // `db` is the SlateDB (or Snapshot/Transaction) whose module runs the scan;
  // `openScan(id, startPtr, startLen, endPtr, endLen, durability, dirty)` calls the export
  // that creates the engine iterator.
  constructor(db, start, end, readOpts, openScan) {
    this._db = db;
    this._openScan = openScan;
    this._start = start;
    this._end = end;
    this._readOpts = readOpts;
    this._h = 0;
    this._opening = null;  // the Promise of the engine iterator's handle
    this._buf = [];
    this._pos = 0;
    this._exhausted = false;
    this._closed = false;
    this._last = null;  // last key handed out
    this._chain = Promise.resolve();
    this._pending = 0;  // next()/seek() calls queued in _chain and not finished
    this._startOpen();
  }

  [Symbol.asyncIterator]() { return this; }

  // Serialises next()/seek() so a caller firing several without awaiting stays ordered.
  _serial(fn) {
    this._pending++;
    const p = this._chain.then(fn).finally(() => { this._pending--; });
    this._chain = p.catch(() => {});
    return p;
  }

  // Creates the engine iterator now, so the scan sees the database (or the transaction's
  // buffered writes) as of the scan() call, not as of the first next().
  _startOpen() {
    const M = this._db._M;
    this._opening = call(M, (ptr, len, num) => num, (id) =>
      M.slatedbRt.withBytes([this._start, this._end], (sp, sl, ep, el) =>
        this._openScan(id, sp, sl, ep, el, this._readOpts[0], this._readOpts[1])));
    // Never an unhandled rejection: the error surfaces from the first next()/seek().
    this._opening.then((h) => {
      if (this._closed) {  // closed before the engine answered
        M._slatedb_iter_free(h);
        return;
      }
      this._h = h;
      iterRegistry?.register(this, { M, h }, this);
    }, () => {});
  }

  async _open() {
    if (this._h) return;
    await this._opening;
  }

  async _fill() {
    const M = this._db._M;
    const [entries, exhausted] = await call(M, (ptr, len, num) => {
      // Each key and value gets its own copy, so keeping one does not pin the batch.
      const heap = M.HEAPU8;
      const dv = new DataView(heap.buffer, ptr, len);
      const out = [];
      let at = 0;
      while (at < len) {
        const kl = dv.getUint32(at, true); at += 4;
        const k = heap.slice(ptr + at, ptr + at + kl); at += kl;
        const vl = dv.getUint32(at, true); at += 4;
        const v = heap.slice(ptr + at, ptr + at + vl); at += vl;
        out.push([k, v]);
      }
      return [out, num === 1];
    }, (id) => M._slatedb_iter_next(this._h, BATCH_ENTRIES, BATCH_BYTES, id));
    this._buf = entries;
    this._pos = 0;
    this._exhausted = exhausted;
  }

  /** The next [key, value], as the async iterator protocol: {value, done}. */
  next() {
    // Fast path: an entry already fetched and nothing queued before this call.
    if (this._pending === 0 && this._pos < this._buf.length && !this._closed) {
      const entry = this._buf[this._pos++];
      this._last = entry[0];
      return Promise.resolve({ value: entry, done: false });
    }
    return this._serial(async () => {
      if (this._closed) return { value: undefined, done: true };
      await this._open();
      while (this._pos >= this._buf.length) {
        if (this._exhausted || this._closed) {
          this._release();
          return { value: undefined, done: true };
        }
        await this._fill();
      }
      const entry = this._buf[this._pos++];
      this._last = entry[0];
      return { value: entry, done: false };
    });
  }

  /**
   * Moves forward so the next entry is the first with key >= `key`. InvalidError if `key`
   * is not after the last key returned or lies outside the scan's range.
   */
  seek(key) {
    let k;
    try {
      k = keyBytes(key);
    } catch (e) {
      return Promise.reject(e);
    }
    return this._serial(async () => {
      if (this._closed) throw new InvalidError('iterator is closed');
      await this._open();
      // Entries already fetched but not handed out: skip within them when possible (the
      // engine's iterator is already past them).
      if (this._last !== null && compareBytes(k, this._last) <= 0) {
        throw new InvalidError('seek key must be after the last key returned');
      }
      if (compareBytes(k, this._start) < 0 ||
          (this._end.length > 0 && compareBytes(k, this._end) >= 0)) {
        throw new InvalidError('seek key outside the scan range');
      }
      while (this._pos < this._buf.length && compareBytes(this._buf[this._pos][0], k) < 0) {
        this._pos++;
      }
      if (this._pos < this._buf.length || this._exhausted) return;
      const M = this._db._M;
      await call(M, null, (id) =>
        M.slatedbRt.withBytes([k], (p, n) => M._slatedb_iter_seek(this._h, p, n, id)));
    });
  }

  /** Releases the engine iterator (also done at the end and by `break` in for-await). */
  async return(value) {
    this.close();
    return { value, done: true };
  }

  close() {
    this._closed = true;
    this._buf = [];
    this._pos = 0;
    this._release();
  }

  _release() {
    if (this._h) {
      iterRegistry?.unregister(this);
      this._db._M._slatedb_iter_free(this._h);
      this._h = 0;
    }
  }
}

// --- scans shared by SlateDB, Snapshot and Transaction ---------------------------------------------

function makeScan(owner, start, end, options, openScan) {
  const s = start === undefined || start === null ? new Uint8Array([0]) : bytes(start, 'start');
  const e = end === undefined || end === null ? new Uint8Array(0) : bytes(end, 'end');
  const readOpts = readOptionsOf(options);
  owner._handle();  // throws ClosedError on a released handle
  return new DbIterator(owner, s.length === 0 ? new Uint8Array([0]) : s, e, readOpts, openScan);
}

// [prefix, successor of prefix); an empty prefix is the whole keyspace.
function prefixRange(prefix) {
  const p = bytes(prefix ?? '', 'prefix');
  // The successor: drop trailing 0xff bytes, then increment the last byte.
  let n = p.length;
  while (n > 0 && p[n - 1] === 0xff) n--;
  let end = new Uint8Array(0);
  if (n > 0) {
    end = p.slice(0, n);
    end[n - 1]++;
  }
  return [p.length ? p : undefined, end];
}

function decodeGet(M) {
  return (M._slatedbDecodeGet ??= (ptr, len, num) => (num === 1 ? M.HEAPU8.slice(ptr, ptr + len) : undefined));
}

// --- Snapshot -------------------------------------------------------------------------------------

const snapshotRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_snapshot_free(h)) : null;

/**
 * A fixed read view made by db.snapshot(): reads never see writes made after it. Release it
 * with close() (also done when it is garbage-collected); afterwards every call fails with
 * ClosedError("snapshot is closed"). Closing the database closes its snapshots too.
 */
export class Snapshot {
  constructor(db, h) {
    this._db = db;
    this._M = db._M;
    this._h = h;
    snapshotRegistry?.register(this, { M: this._M, h }, this);
  }

  _handle() {
    if (!this._h) throw new ClosedError('snapshot is closed', 'clean');
    return this._h;
  }

  /** The value of `key` as of the snapshot (Uint8Array) or undefined. */
  async get(key, options) {
    const k = keyArg(key);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeGet(M), (id) => M.slatedbRt.withBytes([k], (kp, kl) =>
      M._slatedb_snapshot_get(this._handle(), kp, kl, durability, dirty, id)));
  }

  /** Like SlateDB.scan, over the snapshot. */
  scan(start, end, options) {
    return makeScan(this, start, end, options, (id, sp, sl, ep, el, dur, dirty) =>
      this._M._slatedb_snapshot_scan(this._handle(), sp, sl, ep, el, dur, dirty, id));
  }

  scanPrefix(prefix, options) {
    const [start, end] = prefixRange(prefix);
    return this.scan(start, end, options);
  }

  /** Releases the snapshot (idempotent). */
  close() {
    if (this._h) {
      snapshotRegistry?.unregister(this);
      this._M._slatedb_snapshot_free(this._h);
      this._h = 0;
    }
  }
}

// --- Transaction ---------------------------------------------------------------------------------

const txnRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_txn_free(h)) : null;

/**
 * An optimistic transaction (db.begin()): reads see a fixed snapshot overlaid with the
 * transaction's own writes; writes are buffered until commit(), which applies them
 * atomically or rejects with TransactionError on a conflict (SI: another commit wrote a key
 * this one writes; SSI: also a key it read or a range it scanned). After commit() (whatever
 * its outcome) or rollback(), every call fails with ClosedError("transaction is closed")
 * except rollback(). An abandoned transaction is rolled back when garbage-collected.
 */
export class Transaction {
  constructor(db, h, isolation) {
    this._db = db;
    this._M = db._M;
    this._h = h;
    /** 'si' or 'ssi'. */
    this.isolation = isolation;
    /** The sequence number the transaction reads at. */
    this.seq = this._M._slatedb_txn_seq(h);
    txnRegistry?.register(this, { M: this._M, h }, this);
  }

  _handle() {
    if (!this._h || !this._M._slatedb_txn_is_open(this._h)) throw new ClosedError('transaction is closed', 'clean');
    return this._h;
  }

  /** False once committed or rolled back. */
  get isOpen() { return this._h !== 0 && this._M._slatedb_txn_is_open(this._h) === 1; }

  async get(key, options) {
    const k = keyArg(key);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeGet(M), (id) => M.slatedbRt.withBytes([k], (kp, kl) =>
      M._slatedb_txn_get(this._handle(), kp, kl, durability, dirty, id)));
  }

  scan(start, end, options) {
    return makeScan(this, start, end, options, (id, sp, sl, ep, el, dur, dirty) =>
      this._M._slatedb_txn_scan(this._handle(), sp, sl, ep, el, dur, dirty, id));
  }

  scanPrefix(prefix, options) {
    const [start, end] = prefixRange(prefix);
    return this.scan(start, end, options);
  }

  _write(op, key, value, options) {
    const k = keyArg(key);
    const v = value === null ? null : valueArg(value, op === 2 ? 'operand' : 'value');
    const ttl = ttlOf(options);
    const M = this._M;
    return call(M, null, (id) => M.slatedbRt.withBytes([k, v], (kp, kl, vp, vl) =>
      M._slatedb_txn_write(this._handle(), op, kp, kl, vp, vl, ttl, id)));
  }

  /** Buffers a put (options: {ttl}). */
  async put(key, value, options) { return this._write(0, key, value, options); }
  async delete(key) { return this._write(1, key, null); }
  /** Buffers a merge operand (options: {ttl}). */
  async merge(key, operand, options) { return this._write(2, key, operand, options); }
  /** SSI: records `key` as read without reading it. */
  async markRead(key) { return this._write(3, key, null); }
  /** Leaves `key` out of this transaction's conflict checks (its write still applies). */
  async unmarkWrite(key) { return this._write(4, key, null); }

  /**
   * Checks for conflicts and applies the buffered writes atomically. Resolves with
   * {seq, createTs}, or undefined if nothing was written. Options: {awaitDurable = true}.
   */
  async commit(options) {
    const durable = awaitDurableOf(options);
    const M = this._M;
    const dw = decodeWrite(M);
    return call(M, (ptr, len, num) => (num === 1 ? dw(ptr, len) : undefined),
      (id) => M._slatedb_txn_commit(this._handle(), durable, id));
  }

  /** Discards the buffered writes and closes the transaction. Idempotent. */
  rollback() {
    if (this._h) this._M._slatedb_txn_rollback(this._h);
  }
}

// --- SlateDB -------------------------------------------------------------------------------------

export class SlateDB {
  /**
   * Opens (creating if absent) the database at `path` in `store`.
   * @param {object} options
   * @param {object|"memory"} options.store  an object store (see memory_store.mjs)
   * @param {string} [options.path]  the database's prefix in the store ("" = the root)
   * @param {object} [options.settings]  e.g. {flushIntervalMs: 100, compression: 'zstd'}
   * @param {(key, existing, operand) => Uint8Array|string} [options.mergeOperator]
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
    const M = await loadModule(options.module);
    if (!M._slatedb_engine_linked()) {
      throw new InternalError('this build of slatedb_wasm has no engine (core/src/db had no sources)');
    }
    const rt = M.slatedbRt;
    const storeHandle = makeStoreHandle(M, store);
    const mergeHandle = mergeOperator ? rt.register(mergeOperator) : 0;
    try {
      const h = await call(M, (ptr, len, num) => num, (id) =>
        rt.withBytes([encoder.encode(path), settingsBytes], (pp, pl, sp, sl) =>
          M._slatedb_db_open(storeHandle, pp, pl, sp, sl, mergeHandle, id)));
      return new SlateDB(M, h);
    } finally {
      M._slatedb_store_free(storeHandle);  // the Db (if any) keeps its own reference
    }
  }

  constructor(M, h) {
    this._M = M;
    this._h = h;
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
      return call(M, decodeWrite(M), (id) =>
        M.slatedbRt.withBytes([k, v], (kp, kl, vp, vl) =>
          M._slatedb_db_put(this._handle(), kp, kl, vp, vl, ttl, durable, id)));
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
      return call(M, decodeWrite(M), (id) =>
        M.slatedbRt.withBytes([k, v], (kp, kl, vp, vl) =>
          M._slatedb_db_merge(this._handle(), kp, kl, vp, vl, ttl, durable, id)));
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
      return call(M, decodeWrite(M), (id) =>
        M.slatedbRt.withBytes([k], (kp, kl) =>
          M._slatedb_db_delete(this._handle(), kp, kl, durable, id)));
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
      const [durability, dirty] = readOptionsOf(options);
      const M = this._M;
      return call(M, decodeGet(M),
        (id) => M.slatedbRt.withBytes([k], (kp, kl) =>
          M._slatedb_db_get(this._handle(), kp, kl, durability, dirty, id)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Iterates [start, end) in key order: `for await (const [k, v] of db.scan(start, end))`.
   * `start` undefined/empty: from the first key; `end` undefined/empty: to the last key.
   * The returned iterator also has seek(key) and close().
   */
  scan(start, end, options) {
    return makeScan(this, start, end, options, (id, sp, sl, ep, el, dur, dirty) =>
      this._M._slatedb_db_scan(this._handle(), sp, sl, ep, el, dur, dirty, id));
  }

  /** Every key starting with `prefix` (an empty prefix scans everything). */
  scanPrefix(prefix, options) {
    const [start, end] = prefixRange(prefix);
    return this.scan(start, end, options);
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

  /** Flushes and closes. Later calls fail with ClosedError (reason "clean"). */
  async close() {
    const M = this._M;
    return call(M, null, (id) => M._slatedb_db_close(this._handle(), id));
  }

  /** Resolves while open; rejects with the error every call now fails with. */
  async status() {
    const M = this._M;
    return call(M, null, (id) => M._slatedb_db_status(this._handle(), id));
  }

  /**
   * The LSM tree as this writer sees it (Db::StateJson, core/include/slatedb/db.h): manifest
   * id and epochs, L0 SSTs (newest first) and sorted runs with each SST's id, bytes, rows and
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
}

// --- SlateDBReader -------------------------------------------------------------------------------

const READER_MODES = { managed: 0, checkpoint: 1, follow: 2 };
const readerRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_reader_free(h)) : null;

/**
 * A read-only handle on a database that a writer (in any process or runtime) may be
 * writing: it never fences the writer. Modes: 'managed' (default; keeps its own checkpoint
 * so GC leaves what it reads, and follows the writer by polling the manifest and reading new
 * WAL objects every manifestPollIntervalMs), 'checkpoint' (pinned to `checkpointId`; giving
 * checkpointId selects it), 'follow' (follows without a checkpoint). Sees only durable data.
 */
export class SlateDBReader {
  /**
   * @param {object} options {store, path, checkpointId, mode, manifestPollIntervalMs,
   *   checkpointLifetimeMs, maxMemtableBytes, skipWalReplay, blockCacheBytes, mergeOperator, module}
   */
  static async open(options = {}) {
    if (options == null || typeof options !== 'object') throw new InvalidError('SlateDBReader.open needs {store, path}');
    const { store, path = '', checkpointId: cp, mergeOperator } = options;
    if (typeof path !== 'string') throw new InvalidError('path must be a string');
    if (cp != null && (typeof cp !== 'string' || cp.length === 0)) throw new InvalidError('checkpointId must be a non-empty string');
    const modeName = options.mode ?? (cp != null ? 'checkpoint' : 'managed');
    const mode = READER_MODES[modeName];
    if (mode === undefined) throw new InvalidError(`invalid reader mode: ${modeName} (expected 'managed', 'checkpoint' or 'follow')`);
    if (mergeOperator != null && typeof mergeOperator !== 'function') {
      throw new InvalidError('mergeOperator must be a function (key, existing, operand) => bytes');
    }
    const poll = optionalMs(options.manifestPollIntervalMs, 'manifestPollIntervalMs');
    const lifetime = optionalMs(options.checkpointLifetimeMs, 'checkpointLifetimeMs');
    const maxMem = optionalMs(options.maxMemtableBytes, 'maxMemtableBytes');
    const cache = optionalMs(options.blockCacheBytes, 'blockCacheBytes');
    const skipWal = options.skipWalReplay ?? false;
    if (typeof skipWal !== 'boolean') throw new InvalidError('skipWalReplay must be a boolean');
    if (store !== 'memory') checkStore(store);
    const M = await loadModule(options.module);
    const rt = M.slatedbRt;
    const storeHandle = makeStoreHandle(M, store);
    const mergeHandle = mergeOperator ? rt.register(mergeOperator) : 0;
    try {
      const h = await call(M, (ptr, len, num) => num, (id) =>
        rt.withBytes([encoder.encode(path), cp ?? null], (pp, pl, cpp, cpl) =>
          M._slatedb_reader_open(storeHandle, pp, pl, mode, cp != null ? 1 : 0, cpp, cpl, poll,
                                 lifetime, maxMem, skipWal ? 1 : 0, cache, mergeHandle, id)));
      return new SlateDBReader(M, h);
    } finally {
      M._slatedb_store_free(storeHandle);
    }
  }

  constructor(M, h) {
    this._M = M;
    this._h = h;
    readerRegistry?.register(this, { M, h }, this);
  }

  _handle() {
    if (!this._h) throw new ClosedError('reader handle was released', 'clean');
    return this._h;
  }

  /** The value of `key` (Uint8Array) or undefined, as far as the reader has loaded. */
  async get(key, options) {
    const k = keyArg(key);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeGet(M), (id) => M.slatedbRt.withBytes([k], (kp, kl) =>
      M._slatedb_reader_get(this._handle(), kp, kl, durability, dirty, id)));
  }

  scan(start, end, options) {
    return makeScan(this, start, end, options, (id, sp, sl, ep, el, dur, dirty) =>
      this._M._slatedb_reader_scan(this._handle(), sp, sl, ep, el, dur, dirty, id));
  }

  scanPrefix(prefix, options) {
    const [start, end] = prefixRange(prefix);
    return this.scan(start, end, options);
  }

  /** Polls now: loads a newer manifest and new WAL objects (no-op when pinned). */
  async refresh() {
    const M = this._M;
    return call(M, null, (id) => M._slatedb_reader_refresh(this._handle(), id));
  }

  /** The checkpoint the reader reads through (managed or pinned), or undefined. */
  async checkpointId() {
    const M = this._M;
    const id = await call(M, (ptr, len) => M.slatedbRt.utf8(ptr, len),
      (cid) => M._slatedb_reader_checkpoint_id(this._handle(), cid));
    return id || undefined;
  }

  /** Stops polling and deletes the managed checkpoint; later calls fail with ClosedError. */
  async close() {
    const M = this._M;
    return call(M, null, (id) => M._slatedb_reader_close(this._handle(), id));
  }
}

// --- store proxy (tests, tools) --------------------------------------------------------------------

/**
 * Wraps a store so that each call goes JS -> C++ ObjectStore -> (for JS stores: the C++
 * JsObjectStore -> JS store) -> back. `store` is a protocol object or "memory" (the C++
 * MemoryObjectStore). The result implements the store protocol; errors are StoreErrors.
 * Used by the conformance tests to check the C++ glue; `.selfTest(prefix)` runs a scripted
 * sequence of store calls from a C++ coroutine and resolves with its report.
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
    async selfTest(prefix = 'selftest/') {
      const text = await c((ptr, len) => rt.utf8(ptr, len), (id) =>
        rt.withBytes([encoder.encode(prefix)], (p, n) => M._slatedb_selftest_store(handle(), p, n, id)));
      return JSON.parse(text);
    },
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

/** Self-tests of the module's runtime (executor, clock, coroutine chains), for tests. */
export async function runtimeSelfTest(options = {}) {
  const M = await loadModule(options.module);
  const rt = M.slatedbRt;
  const runtime = JSON.parse(await call(M, (ptr, len) => rt.utf8(ptr, len),
    (id) => M._slatedb_selftest_runtime(id)));
  const chain = await call(M, (ptr, len, num) => num,
    (id) => M._slatedb_selftest_sync_chain(options.chainLength ?? 1000000, id));
  return { ...runtime, syncChain: chain, pendingCalls: rt.pendingCalls() };
}

export default SlateDB;
