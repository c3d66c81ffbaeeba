// SPDX-License-Identifier: Apache-2.0
//
// Argument checks and conversions shared by the API classes (keys, values, options,
// settings), store handles for SlateDB.open and SlateDBReader.open, result decoders.
import { InvalidError } from './errors.mjs';

export const encoder = new TextEncoder();

// --- argument helpers --------------------------------------------------------------------------

export function bytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new InvalidError(`${what} must be a Uint8Array, ArrayBuffer, typed array or string`);
}
export function keyBytes(key, what = 'key') {
  const b = bytes(key, what);
  if (b.length === 0) throw new InvalidError(`${what} cannot be empty`);
  return b;
}
// For the per-call paths (put/get/delete/merge): a string is passed through as is and
// encoded by withBytes straight into the wasm heap; anything else as keyBytes()/bytes().
export function keyArg(key) {
  if (typeof key === 'string') {
    if (key.length === 0) throw new InvalidError('key cannot be empty');
    return key;
  }
  return keyBytes(key);
}
export function valueArg(value, what) {
  return typeof value === 'string' ? value : bytes(value, what);
}
export const ISOLATION = { si: 0, snapshot: 0, ssi: 1, serializable: 1, serializable_snapshot: 1 };
export function isolationOf(isolation) {
  if (isolation === undefined || isolation === null) return 0;
  const level = typeof isolation === 'string' ? ISOLATION[isolation.toLowerCase()] : undefined;
  if (level === undefined) {
    throw new InvalidError(`invalid isolation level: ${isolation} (expected 'si', 'snapshot', 'ssi', 'serializable' or 'serializable_snapshot')`);
  }
  return level;
}
export function optionalMs(v, what) {
  if (v === undefined || v === null) return NaN;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new InvalidError(`${what} must be a non-negative integer (milliseconds), got ${v}`);
  }
  return v;
}
export function checkpointId(id) {
  if (typeof id !== 'string' || id.length === 0) throw new InvalidError('checkpoint id must be a non-empty string');
  return id;
}
// Milliseconds; NaN for the database's default. 0 expires at once (the write is never
// visible), as in Python, C++ and upstream.
export function ttlOf(options) {
  const ttl = options?.ttl;
  if (ttl === undefined || ttl === null) return NaN;  // the database default
  if (!Number.isSafeInteger(ttl) || ttl < 0) {
    throw new InvalidError(`ttl must be a non-negative integer (milliseconds), got ${ttl}`);
  }
  return ttl;
}
export function awaitDurableOf(options) {
  const v = options?.awaitDurable ?? options?.await_durable ?? true;
  if (typeof v !== 'boolean') throw new InvalidError('awaitDurable must be a boolean');
  return v ? 1 : 0;
}
export function readOptionsOf(options) {
  const f = options?.durabilityFilter ?? options?.durability_filter ?? 'memory';
  const lf = typeof f === 'string' ? f.toLowerCase() : f;
  if (lf !== 'memory' && lf !== 'remote') {
    throw new InvalidError(`invalid durabilityFilter: ${f} (expected 'remote' or 'memory')`);
  }
  const dirty = options?.dirty ?? false;
  if (typeof dirty !== 'boolean') throw new InvalidError('dirty must be a boolean');
  return [lf === 'remote' ? 1 : 0, dirty ? 1 : 0];
}
// [durability, dirty, order, filterPrefix] of scan options: ReadOptions plus order
// 'ascending' (default) or 'descending', and filterPrefix (ScanOptions::filter_prefix: every
// key of the range starts with it, so SSTs whose prefix filters rule it out are skipped;
// bytes, or null when not given).
export function scanOptionsOf(options) {
  const o = options?.order ?? 'ascending';
  const lo = typeof o === 'string' ? o.toLowerCase() : o;
  if (lo !== 'ascending' && lo !== 'descending') {
    throw new InvalidError(`invalid order: ${o} (expected 'ascending' or 'descending')`);
  }
  const fp = options?.filterPrefix ?? options?.filter_prefix;
  return [...readOptionsOf(options), lo === 'descending' ? 1 : 0,
    fp == null ? null : bytes(fp, 'filterPrefix')];
}
export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// Settings: a plain object by the names of the core's settings table
// (core/include/slatedb/settings.h, docs/settings.md: upstream SlateDB's names, snake_case
// or camelCase, nested or dotted), sent to C++ as JSON and applied there, so every name,
// type check and error is the core's, as in Python and C++.
export function encodeSettings(settings) {
  if (settings === undefined || settings === null) return new Uint8Array(0);
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidError('settings must be an object');
  }
  let text;
  try {
    text = JSON.stringify(settings, (key, value) => {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new InvalidError(`setting ${key} must be a finite number, got ${value}`);
      }
      if (typeof value === 'bigint') {
        throw new InvalidError(`setting ${key} must be a Number, not a BigInt`);
      }
      return value;
    });
  } catch (e) {
    if (e instanceof InvalidError) throw e;
    throw new InvalidError(`settings must be plain data: ${e.message}`);
  }
  return encoder.encode(text);
}

// The byte arrays `parts`, one after another, in one Uint8Array.
export function concatBytes(parts) {
  const out = new Uint8Array(parts.reduce((total, p) => total + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const STORE_METHODS = ['get', 'getRange', 'head', 'put', 'list', 'delete'];
/**
 * A store implemented in C++ inside the module (S3Store, cppStore proxies) has a method
 * under this symbol that returns a new C++ StoreHandle for it; SlateDB.open() then talks to
 * it directly, with no round trip through JS per request.
 */
export const NATIVE_STORE = Symbol.for('slatedb.nativeStore');
export function checkStore(store) {
  if (store == null || (typeof store !== 'object' && typeof store !== 'function')) {
    throw new InvalidError('store must be an object store or "memory"');
  }
  for (const m of STORE_METHODS) {
    if (typeof store[m] !== 'function') throw new InvalidError(`store has no ${m}() method`);
  }
}

// Creates a C++ StoreHandle for `store` (a protocol object or "memory").
export function makeStoreHandle(M, store) {
  const rt = M.slatedbRt;
  if (store === 'memory') return M._slatedb_store_new_memory();
  checkStore(store);
  if (typeof store[NATIVE_STORE] === 'function') return store[NATIVE_STORE](M);
  let desc = 'js';
  try { if (typeof store.describe === 'function') desc = `js:${store.describe()}`; } catch {}
  const handle = rt.register(store);
  return rt.withBytes([encoder.encode(desc)], (p, n) => M._slatedb_store_new_js(handle, p, n));
}

export const decodeWrite = (M) => (M._slatedbDecodeWrite ??= (ptr) => {
  const rt = M.slatedbRt;
  return { seq: rt.f64(ptr), createTs: rt.f64(ptr + 8) };  // SettleWrite's two doubles
});

// warmSst's targets (wasm::CacheTargetsFromJs): each 'filters', 'index', 'stats', 'data' (every
// data block) or {type, range} with range {start, end, startInclusive = true,
// endInclusive = false} (a missing or null bound is unbounded), as upstream's CacheTarget.
const CACHE_TARGET_KINDS = { filters: 0, index: 1, stats: 2, data: 3 };
export function encodeCacheTargets(targets) {
  if (!Array.isArray(targets)) throw new InvalidError('targets must be an array of cache targets');
  const parts = [];
  for (const target of targets) {
    const type = typeof target === 'string' ? target : target?.type;
    const kind = CACHE_TARGET_KINDS[typeof type === 'string' ? type.toLowerCase() : ''];
    if (kind === undefined) {
      throw new InvalidError(`invalid cache target: ${String(type)} (expected 'filters', 'index', 'stats' or 'data')`);
    }
    const range = (kind === 3 && typeof target === 'object' && target.range) || {};
    const start = range.start == null ? null : bytes(range.start, 'range start');
    const end = range.end == null ? null : bytes(range.end, 'range end');
    const flags = (start ? 1 : 0) | (range.startInclusive === false ? 0 : 2) | (end ? 4 : 0) |
      (range.endInclusive === true ? 8 : 0);
    parts.push(Uint8Array.of(kind, flags));
    for (const b of [start, end]) {
      if (!b) continue;
      const n = new Uint8Array(4);
      new DataView(n.buffer).setUint32(0, b.length, true);
      parts.push(n, b);
    }
  }
  return concatBytes(parts);
}

// getMany's keys, each as a u32 (little-endian) length and its bytes (wasm::KeysFromJs).
export function encodeKeys(keys) {
  if (keys === null || keys === undefined || typeof keys[Symbol.iterator] !== 'function' ||
      typeof keys === 'string') {
    throw new InvalidError('keys must be an iterable of keys');
  }
  const parts = [];
  let total = 0;
  for (const key of keys) {
    const b = keyBytes(key);
    parts.push(b);
    total += 4 + b.length;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const b of parts) {
    view.setUint32(at, b.length, true);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return out;
}

// getMany's answer (wasm::SettleMany): an array of Uint8Array or undefined, in key order.
export function decodeMany(M) {
  return (M._slatedbDecodeMany ??= (ptr, len, num) => {
    const heap = M.HEAPU8;
    const view = new DataView(heap.buffer, heap.byteOffset + ptr, len);
    const out = new Array(num);
    let at = 0;
    for (let i = 0; i < num; ++i) {
      const n = view.getUint32(at, true);
      at += 4;
      if (n === 0xFFFFFFFF) {
        out[i] = undefined;
      } else {
        out[i] = heapCopy(heap, ptr + at, n);
        at += n;
      }
    }
    return out;
  });
}

export function decodeGet(M) {
  return (M._slatedbDecodeGet ??= (ptr, len, num) => (num === 1 ? heapCopy(M.HEAPU8, ptr, len) : undefined));
}

// Copies `len` bytes at `ptr` out of the wasm heap. Small results share 16 KiB pool buffers
// (as Node's Buffer pool does): a fresh ArrayBuffer per value costs about 1 µs in V8, more
// than a memtable read. So a small result's `.buffer` is the pool (use byteOffset and
// byteLength, or slice() it), and keeping it keeps that 16 KiB alive; results of 2 KiB or
// more get a buffer of their own.
const POOL_BYTES = 16 * 1024;
const POOLED_MAX = 2 * 1024;
let pool = null;
let poolAt = 0;
export function heapCopy(heap, ptr, len) {
  if (len >= POOLED_MAX) return heap.slice(ptr, ptr + len);
  // byteLength 0: the caller transferred a result's buffer (postMessage, structuredClone),
  // which detached the whole pool; later results get a new one.
  if (pool === null || pool.byteLength === 0 || poolAt + len > POOL_BYTES) {
    pool = new Uint8Array(POOL_BYTES);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + len);
  out.set(heap.subarray(ptr, ptr + len));
  poolAt = (poolAt + len + 7) & ~7;  // 8-byte aligned, so a value can be viewed as wider arrays
  return out;
}

// --- filter policies and prefix extractors -------------------------------------------------------

// A prefix extractor (core/include/slatedb/prefix_extractor.h): an object with `name` (a
// non-empty string, or a method returning one; asked once, at open) and
// prefixLen(data: Uint8Array, isPoint: boolean) => integer | null | undefined, which the
// engine calls synchronously. Returns {name, extractor}.
function extractorOf(ex, what) {
  if (ex === null || typeof ex !== 'object' || typeof ex.prefixLen !== 'function') {
    throw new InvalidError(`${what} must be an object with a name and a prefixLen(data, isPoint) method`);
  }
  const name = typeof ex.name === 'function' ? ex.name() : ex.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidError(`${what}.name must be a non-empty string`);
  }
  return { name, extractor: ex };
}

const POLICY_KEYS = new Set(['bitsPerKey', 'bits_per_key', 'wholeKeyFiltering', 'whole_key_filtering',
  'prefixExtractor', 'prefix_extractor']);

/**
 * The filterPolicies and segmentExtractor options of SlateDB.open / SlateDBReader.open,
 * checked: {policies: null (not configured) or [{bits, whole, extractor}], segment}. Each
 * policy is {bitsPerKey = 10, wholeKeyFiltering = true, prefixExtractor} (snake_case names
 * too), as core/include/slatedb/filter_policy.h.
 */
export function filterOptionsOf(options) {
  const list = options.filterPolicies ?? options.filter_policies;
  const seg = options.segmentExtractor ?? options.segment_extractor;
  let policies = null;
  if (list != null) {
    if (!Array.isArray(list)) throw new InvalidError('filterPolicies must be an array of filter policies');
    policies = list.map((p, i) => {
      const what = `filterPolicies[${i}]`;
      if (p === null || typeof p !== 'object' || Array.isArray(p)) {
        throw new InvalidError(`${what} must be an object {bitsPerKey, wholeKeyFiltering, prefixExtractor}`);
      }
      for (const key of Object.keys(p)) {
        if (!POLICY_KEYS.has(key)) {
          throw new InvalidError(`${what} has an unknown option ${key} (expected bitsPerKey, wholeKeyFiltering, prefixExtractor)`);
        }
      }
      const bits = p.bitsPerKey ?? p.bits_per_key ?? 10;
      if (!Number.isInteger(bits) || bits < 0 || bits > 0xFFFFFFFF) {
        throw new InvalidError(`${what}.bitsPerKey must be an integer from 0 to 4294967295, got ${String(bits)}`);
      }
      const whole = p.wholeKeyFiltering ?? p.whole_key_filtering ?? true;
      if (typeof whole !== 'boolean') throw new InvalidError(`${what}.wholeKeyFiltering must be a boolean`);
      const ex = p.prefixExtractor ?? p.prefix_extractor;
      return { bits, whole, extractor: ex == null ? null : extractorOf(ex, `${what}.prefixExtractor`) };
    });
  }
  return { policies, segment: seg == null ? null : extractorOf(seg, 'segmentExtractor') };
}

// filterOptionsOf()'s result as wasm::FilterOptionsFromJs (js_filters.h) reads it, each
// extractor registered with the runtime (C++ owns and releases those handles). Empty when
// nothing is configured.
export function encodeFilterOptions(rt, spec) {
  if (spec.policies === null && spec.segment === null) return new Uint8Array(0);
  const parts = [];
  const u32 = (v) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); parts.push(b); };
  const extractor = (e) => {
    if (e === null) return u32(0);
    u32(rt.register(e));
    const name = encoder.encode(e.name);
    u32(name.length);
    parts.push(name);
  };
  parts.push(Uint8Array.of(spec.policies === null ? 0 : 1));
  if (spec.policies !== null) {
    u32(spec.policies.length);
    for (const p of spec.policies) {
      u32(p.bits);
      parts.push(Uint8Array.of(p.whole ? 1 : 0));
      extractor(p.extractor);
    }
  }
  extractor(spec.segment);
  return concatBytes(parts);
}
