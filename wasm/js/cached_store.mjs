// SPDX-License-Identifier: Apache-2.0
//
// CachedStore: a persistent cache of immutable objects around any store of the protocol
// (memory_store.mjs), the browser's counterpart of the native CachedObjectStore
// (platform/include/slatedb/platform/cached_object_store.h; docs/caches.md).
//
//   const s3 = await S3Store.open({...});
//   const store = await CachedStore.open(s3, { rootFolder: 'my-app-cache' });
//   const db = await SlateDB.open({ store, path: 'db' });
//
// What it caches: keys `cacheable` accepts, by default only SSTs (".../compacted/<id>.sst"),
// which never change once written; manifests, WAL objects and everything else, and every
// head and list, go to the inner store. Objects are cached in aligned parts of
// partSizeBytes; a read that finds all its parts cached makes no request, and concurrent
// reads missing the same part share one fetch. Parts live in OPFS (IndexedDB where OPFS is
// missing; in memory in Node), so they survive page reloads; every byte served is checked
// against a CRC-32C stored with it (a damaged or partial part is deleted and fetched again);
// the total stays under maxCacheSizeBytes, least recently used evicted first. One tab per
// cache folder: a second tab's open() rejects with Invalid (Web Locks), as a second native
// process does. Puts and deletes through it drop the object's cached parts.
import { StoreError, checkRange, putOptions, validateKey } from './store_common.mjs';
import { IndexedDbCacheBackend, MemoryCacheBackend, OpfsCacheBackend } from './cache_backends.mjs';
import {
  FIXED_HEADER_BYTES, chunksCovering, decodeHeader, encodePart, isCorruptPart,
  peekHeaderLength, verifyChunks,
} from './cache_part.mjs';
import { describeAs, quote } from './inspect.mjs';

/** True for ".../compacted/<name>.sst": a database's SSTs, immutable once written. */
export function isImmutableSstKey(key) {
  const parts = key.split('/');
  if (parts.length < 2) return false;
  const leaf = parts[parts.length - 1];
  return parts[parts.length - 2] === 'compacted' && leaf.length > 4 && leaf.endsWith('.sst');
}

const MAX_PLANNED_PARTS = 1024;
const GENERATION_STRIPES = 4096;
const FIRST_READ = 4096;
const CROCKFORD = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;
const openFolders = new Map();  // rootFolder -> true while a CachedStore in this page has it

function hex16(identity) {
  // FNV-1a 64 with a final mix, as the native cache names its files.
  let h = 0xcbf29ce484222325n;
  const M = 0xffffffffffffffffn;
  for (const b of new TextEncoder().encode(identity)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & M;
  }
  h ^= h >> 30n; h = (h * 0xbf58476d1ce4e5b9n) & M;
  h ^= h >> 27n; h = (h * 0x94d049bb133111ebn) & M;
  h ^= h >> 31n;
  return h.toString(16).padStart(16, '0');
}

function parseName(file) {
  const m = /^([0-9a-f]{16})-(\d+)-(\d+)\.(part|last)$/.exec(file);
  if (!m) return null;
  return { object: `${m[1]}-${m[2]}`, index: Number(m[3]), last: m[4] === 'last', name: `${m[1]}-${m[2]}-${m[3]}` };
}

function beyondEnd(key, offset) {
  return new StoreError('Invalid', `cached store: range offset ${offset} beyond the end of ${key}`);
}

async function takeLock(rootFolder) {
  const locks = globalThis.navigator?.locks;
  if (!locks) return null;
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const got = await new Promise((resolve, reject) => {
    locks.request(`slatedb-cache:${rootFolder}`, { mode: 'exclusive', ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      return lock ? held : undefined;
    }).catch(reject);
  });
  return got ? release : false;
}

export class CachedStore {
  /**
   * @param {object} inner  any store of the protocol
   * @param {{rootFolder?: string, maxCacheSizeBytes?: number, partSizeBytes?: number,
   *          cacheOnFlush?: boolean, cacheOnCompaction?: boolean,
   *          cacheable?: (key: string) => boolean, storeIdentity?: string,
   *          backend?: 'opfs'|'indexeddb'|'memory'|object,
   *          onEvent?: (event: object) => void}} [options]
   */
  static async open(inner, options = {}) {
    if (!inner || typeof inner.getRange !== 'function') {
      throw new StoreError('Invalid', 'CachedStore.open needs a store to wrap');
    }
    const rootFolder = options.rootFolder ?? 'slatedb-cache';
    if (typeof rootFolder !== 'string' || rootFolder === '' || rootFolder.includes('/')) {
      throw new StoreError('Invalid', `bad rootFolder: ${rootFolder}`);
    }
    const partSize = options.partSizeBytes ?? 4 * 1024 * 1024;
    const maxBytes = options.maxCacheSizeBytes ?? 256 * 1024 * 1024;
    if (!Number.isSafeInteger(partSize) || partSize <= 0) {
      throw new StoreError('Invalid', `partSizeBytes must be a positive integer: ${partSize}`);
    }
    if (!Number.isSafeInteger(maxBytes) || maxBytes < partSize) {
      throw new StoreError('Invalid', `maxCacheSizeBytes (${maxBytes}) must be at least partSizeBytes (${partSize})`);
    }
    let backend = options.backend ?? 'auto';
    if (backend === 'auto') {
      backend = OpfsCacheBackend.available() ? 'opfs' : IndexedDbCacheBackend.available() ? 'indexeddb' : 'memory';
    }
    // OPFS and IndexedDB folders are shared by the page (and, through the Web Lock, the
    // origin's tabs); a 'memory' backend is private to this store.
    const folderKey = backend === 'opfs' || backend === 'indexeddb' ? `${backend}:${rootFolder}` : null;
    if (folderKey && openFolders.has(folderKey)) {
      throw new StoreError('Invalid', `cache folder ${rootFolder} is already open in this page`);
    }
    const release = folderKey ? await takeLock(rootFolder) : null;
    if (release === false) {
      throw new StoreError('Invalid', `cache folder ${rootFolder} is in use by another tab`);
    }
    try {
      if (backend === 'opfs') backend = await OpfsCacheBackend.open(rootFolder);
      else if (backend === 'indexeddb') backend = await IndexedDbCacheBackend.open(rootFolder);
      else if (backend === 'memory') backend = new MemoryCacheBackend();
      const store = new CachedStore(inner, backend, { ...options, rootFolder, partSize, maxBytes },
                                    release, folderKey);
      await store._scan();
      if (folderKey) openFolders.set(folderKey, true);
      return store;
    } catch (e) {
      release?.();
      throw e instanceof StoreError ? e : new StoreError('Invalid', `cannot open cache ${rootFolder}: ${e?.message ?? e}`);
    }
  }

  constructor(inner, backend, options, release, folderKey) {
    this._inner = inner;
    this._backend = backend;
    this._rootFolder = options.rootFolder;
    this._partSize = options.partSize;
    this._maxBytes = options.maxBytes;
    this._cacheable = options.cacheable ?? isImmutableSstKey;
    this._cachePuts = !!(options.cacheOnFlush || options.cacheOnCompaction);
    this._storeIdentity = options.storeIdentity ?? inner.describe?.() ?? 'js';
    this._onEvent = options.onEvent ?? null;
    this._release = release;
    this._folderKey = folderKey;
    this._entries = new Map();   // name -> {object, index, last, size}; Map order = recency
    this._lastParts = new Map(); // object -> index of its cached last part
    this._used = 0;
    this._generations = new Uint32Array(GENERATION_STRIPES);
    this._inFlight = new Map();  // identity + '\n' + part -> Promise<piece>
    this._writes = new Set();    // part writes under way (flushCacheToDisk awaits them)
    this._counts = {
      readsHit: 0, readsMissed: 0, partsHit: 0, partsFetched: 0, partsJoined: 0, bytesServed: 0,
      bytesFetched: 0, innerRequests: 0, partsWritten: 0, writeFailures: 0, evictions: 0,
      corruptParts: 0,
    };
  }

  describe() { return `cached(${this._inner.describe?.() ?? 'js'})`; }
  /** Which backend holds the parts: "opfs", "indexeddb" or "memory". */
  get backendKind() { return this._backend.kind ?? 'custom'; }
  /** The store this one wraps. */
  get inner() { return this._inner; }

  /** Counters and the cache's size now. */
  stats() {
    return { ...this._counts, usedBytes: this._used, maxBytes: this._maxBytes, entries: this._entries.size };
  }

  /** Resolves once every part fetched so far is written (upstream's flush_cache_to_disk). */
  async flushCacheToDisk() {
    while (this._writes.size > 0) await Promise.all([...this._writes]);
  }

  /** Releases the folder (another tab may then open it). */
  close() {
    if (this._folderKey) openFolders.delete(this._folderKey);
    this._folderKey = null;
    this._release?.();
    this._release = null;
    this._backend.close?.();
  }

  caches(key) {
    try { validateKey(key); } catch { return false; }
    return !!this._cacheable(key);
  }

  _emit(event) {
    if (!this._onEvent) return;
    try { this._onEvent(event); } catch { /* an observer never breaks a read */ }
  }

  _identity(key) { return `${this._storeIdentity}\n${key}`; }
  _objectOf(identity) { return `${hex16(identity)}-${this._partSize}`; }
  _stripe(identity) { return parseInt(hex16(identity).slice(-4), 16) % GENERATION_STRIPES; }
  _generation(identity) { return this._generations[this._stripe(identity)]; }
  _fileOf(name, last) { return `${name}.${last ? 'last' : 'part'}`; }

  async _scan() {
    const files = await this._backend.list();
    files.sort((a, b) => a.modified - b.modified);
    for (const f of files) {
      const parsed = parseName(f.name);
      if (!parsed) {
        await this._backend.remove(f.name).catch(() => {});
        continue;
      }
      if (this._entries.has(parsed.name)) await this._removeEntry(parsed.name);
      this._entries.set(parsed.name, { object: parsed.object, index: parsed.index, last: parsed.last, size: f.size });
      if (parsed.last) this._lastParts.set(parsed.object, parsed.index);
      this._used += f.size;
    }
    await this._evict(null);
  }

  async _removeEntry(name) {
    const e = this._entries.get(name);
    if (!e) return;
    this._entries.delete(name);
    this._used -= e.size;
    if (e.last && this._lastParts.get(e.object) === e.index) this._lastParts.delete(e.object);
    await this._backend.remove(this._fileOf(name, e.last)).catch(() => {});
  }

  async _evict(keep) {
    for (const name of this._entries.keys()) {
      if (this._used <= this._maxBytes) break;
      if (name === keep) continue;
      await this._removeEntry(name);
      this._counts.evictions++;
      this._emit({ type: 'evict', name });
    }
  }

  // Reads [begin, end) of one cached part: {bytes, start, partLength, last} or null.
  async _readPart(identity, index, begin, end) {
    const name = `${this._objectOf(identity)}-${index}`;
    const entry = this._entries.get(name);
    if (!entry) return null;
    this._entries.delete(name);  // most recent now
    this._entries.set(name, entry);
    let file;
    try {
      file = await this._backend.open(this._fileOf(name, entry.last));
      if (!file) return null;
      let header = await file.read(0, Math.min(FIRST_READ, file.size));
      const headerLength = peekHeaderLength(header);
      if (headerLength > file.size) throw Object.assign(new Error('short'), { corrupt: true });
      if (headerLength > header.length) {
        const rest = await file.read(header.length, headerLength - header.length);
        const joined = new Uint8Array(headerLength);
        joined.set(header);
        joined.set(rest, header.length);
        header = joined;
      }
      const h = decodeHeader(header.subarray(0, headerLength), file.size);
      if (h.identity !== identity || h.partIndex !== index || h.partSize !== this._partSize) return null;
      const stop = Math.min(end, h.dataLength);
      if (begin >= stop) return { bytes: new Uint8Array(0), start: Math.min(begin, h.dataLength), partLength: h.dataLength, last: h.last };
      const span = chunksCovering(h, begin, stop);
      const data = await file.read(h.headerLength + span.offset, span.length);
      verifyChunks(h, span, data);
      return { bytes: data.subarray(begin - span.offset, stop - span.offset), start: begin, partLength: h.dataLength, last: h.last };
    } catch (e) {
      if (isCorruptPart(e) || e?.corrupt) {
        this._counts.corruptParts++;
        this._emit({ type: 'corrupt', name });
        if (this._entries.get(name) === entry) await this._removeEntry(name);
      }
      return null;
    }
  }

  async _writePart(identity, index, last, data, generation) {
    if (this._generation(identity) !== generation) return;
    const object = this._objectOf(identity);
    const name = `${object}-${index}`;
    const file = encodePart(identity, index, this._partSize, last, data);
    if (file.length > this._maxBytes) return;
    try {
      if (this._entries.has(name)) await this._removeEntry(name);
      await this._backend.write(this._fileOf(name, last), file);
    } catch {
      this._counts.writeFailures++;
      return;
    }
    if (this._generation(identity) !== generation) {
      // Rewritten or evicted while the file was being written.
      await this._backend.remove(this._fileOf(name, last)).catch(() => {});
      return;
    }
    const old = this._entries.get(name);
    if (old) {
      this._entries.delete(name);
      this._used -= old.size;
    }
    this._entries.set(name, { object, index, last, size: file.length });
    if (last) this._lastParts.set(object, index);
    this._used += file.length;
    this._counts.partsWritten++;
    await this._evict(name);
  }

  async _invalidate(identity) {
    this._generations[this._stripe(identity)]++;
    const object = this._objectOf(identity);
    for (const [name, e] of [...this._entries]) if (e.object === object) await this._removeEntry(name);
    for (const k of [...this._inFlight.keys()]) if (k.startsWith(identity + '\n')) this._inFlight.delete(k);
  }

  // --- the store protocol -------------------------------------------------------------------

  async get(key) {
    validateKey(key);
    if (!this.caches(key)) return this._inner.get(key);
    const identity = this._identity(key);
    if (this._lastParts.has(this._objectOf(identity))) return this._readParts(key, 0, Infinity, 'get');
    return this._readSpan(key, 0, Infinity, true);
  }

  async getRange(key, offset, length) {
    validateKey(key);
    checkRange(offset, length);
    if (!this.caches(key)) return this._inner.getRange(key, offset, length);
    return this._readParts(key, offset, length, 'getRange');
  }

  head(key) { return this._inner.head(key); }
  list(prefix, startAfter) { return this._inner.list(prefix, startAfter); }

  async put(key, data, options) {
    validateKey(key);
    putOptions(options);
    if (!this.caches(key)) return this._inner.put(key, data, options);
    const identity = this._identity(key);
    await this._invalidate(identity);
    const copy = this._cachePuts ? new Uint8Array(data instanceof Uint8Array ? data : new Uint8Array(data)).slice() : null;
    try {
      const meta = await this._inner.put(key, data, options);
      await this._invalidate(identity);
      if (copy) await this._storeParts(identity, 0, copy, true, this._generation(identity));
      return meta;
    } catch (e) {
      await this._invalidate(identity);
      throw e;
    }
  }

  async delete(key) {
    validateKey(key);
    if (!this.caches(key)) return this._inner.delete(key);
    const identity = this._identity(key);
    await this._invalidate(identity);
    try {
      return await this._inner.delete(key);
    } finally {
      await this._invalidate(identity);
    }
  }

  // --- cache control ---------------------------------------------------------------------------

  /** Fetches what is not cached of `key`'s ranges ([{offset, length}]; [] = whole object). */
  async warm(key, ranges = []) {
    if (!this.caches(key)) return;
    try {
      if (ranges.length === 0) await this.get(key);
      else await Promise.all(ranges.map((r) => this.getRange(key, r.offset, r.length)));
    } catch (e) {
      if (e?.code !== 'NotFound') throw e;
    }
  }

  /** Drops every cached part of `key`. */
  async evict(key) {
    if (this.caches(key)) await this._invalidate(this._identity(key));
  }

  /** Upstream's warm_sst for the store: the whole SST `sstId` of the database at `dbPath`. */
  async warmSst(dbPath, sstId) { await this.warm(sstKey(dbPath, sstId)); }
  /** Upstream's evict_cached_sst for the store. */
  async evictCachedSst(dbPath, sstId) { await this.evict(sstKey(dbPath, sstId)); }

  // --- reads -------------------------------------------------------------------------------------

  async _readParts(key, offset, length, op) {
    const started = Date.now();
    const P = this._partSize;
    const identity = this._identity(key);
    const generation = this._generation(identity);
    const end = length === Infinity ? Infinity : offset + length;
    const p0 = Math.floor(offset / P);
    let last = this._lastParts.get(this._objectOf(identity));
    if (last !== undefined && p0 > last) {
      if (await this._readPart(identity, last, 0, 0)) {
        this._counts.readsHit++;
        throw beyondEnd(key, offset);
      }
      last = undefined;
    }
    let p1 = length === 0 ? p0 : Math.floor((end - 1) / P);
    if (last !== undefined) p1 = Math.min(p1, last);
    if (!Number.isFinite(p1) || p1 - p0 >= MAX_PLANNED_PARTS) return this._readSpan(key, offset, length, false);
    const pieces = [];
    const missing = [];
    for (let p = p0; p <= p1; p++) {
      const base = p * P;
      const lo = Math.max(offset, base) - base;
      const hi = length === 0 ? lo : Math.min(end - base, P);
      const slice = await this._readPart(identity, p, lo, hi);
      if (!slice) {
        pieces.push(null);
        missing.push(p);
        continue;
      }
      this._counts.partsHit++;
      pieces.push({ ...slice, fromDisk: true });
      if (slice.last) break;
    }
    // Join fetches in flight; fetch the rest, adjacent parts in one request.
    const waits = [];
    const toFetch = [];
    for (const p of missing) {
      const flightKey = `${identity}\n${p}`;
      const flying = this._inFlight.get(flightKey);
      if (flying) {
        this._counts.partsJoined++;
        waits.push([p, flying]);
      } else {
        toFetch.push(p);
      }
    }
    for (let i = 0; i < toFetch.length;) {
      let j = i + 1;
      while (j < toFetch.length && toFetch[j] === toFetch[j - 1] + 1) j++;
      const run = this._fetchRun(key, identity, toFetch[i], j - i, generation);
      for (let k = 0; k < j - i; k++) waits.push([toFetch[i + k], run.then((ps) => ps[k])]);
      i = j;
    }
    for (const [p, promise] of waits) pieces[p - p0] = await promise;
    if (this._generation(identity) !== generation) {
      this._counts.innerRequests++;
      return op === 'get' ? this._inner.get(key) : this._inner.getRange(key, offset, length);
    }
    const out = [];
    let total = 0;
    let fromDisk = 0;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (piece.error) throw piece.error;
      if (piece.missingObject) return null;
      if (piece.beyondEnd) {
        if (i === 0) throw beyondEnd(key, offset);
        break;
      }
      const base = (p0 + i) * P;
      const lo = Math.max(offset, base) - base;
      if (lo > piece.partLength) throw beyondEnd(key, offset);
      const hi = length === 0 ? lo : Math.min(end - base, piece.partLength);
      if (hi > lo) {
        out.push(piece.bytes.subarray(lo - piece.start, hi - piece.start));
        total += hi - lo;
        if (piece.fromDisk) fromDisk += hi - lo;
      }
      if (piece.last) break;
    }
    const hit = missing.length === 0;
    if (hit) this._counts.readsHit++; else this._counts.readsMissed++;
    this._counts.bytesServed += fromDisk;
    this._emit({ type: hit ? 'hit' : 'miss', op, key, offset, length: total, fromCache: fromDisk, ms: Date.now() - started });
    if (out.length === 1) return out[0].slice();
    const result = new Uint8Array(total);
    let at = 0;
    for (const b of out) { result.set(b, at); at += b.length; }
    return result;
  }

  // One inner request for parts [first, first + count); resolves with their pieces.
  _fetchRun(key, identity, first, count, generation) {
    const P = this._partSize;
    this._counts.innerRequests++;
    const run = (async () => {
      const pieces = [];
      let bytes;
      try {
        bytes = await this._inner.getRange(key, first * P, count * P);
      } catch (e) {
        const pastEnd = e?.code === 'Invalid' && first > 0;
        for (let j = 0; j < count; j++) pieces.push(pastEnd ? { beyondEnd: true } : { error: e });
        return pieces;
      }
      if (bytes === null || bytes === undefined) {
        for (let j = 0; j < count; j++) pieces.push({ missingObject: true });
        return pieces;
      }
      bytes = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      const n = bytes.length;
      const objectEnds = n < count * P;
      this._counts.bytesFetched += n;
      for (let j = 0; j < count; j++) {
        const start = j * P;
        if (start > n) { pieces.push({ beyondEnd: true }); continue; }
        const partLength = Math.min(P, n - start);
        pieces.push({ bytes: bytes.subarray(start, start + partLength), start: 0, partLength,
                      last: objectEnds && partLength < P });
        this._counts.partsFetched++;
      }
      return pieces;
    })();
    const flights = [];
    for (let j = 0; j < count; j++) {
      const flightKey = `${identity}\n${first + j}`;
      const piece = run.then((ps) => ps[j]);
      this._inFlight.set(flightKey, piece);
      flights.push([flightKey, piece]);
    }
    // Cache what came back, then retire the in-flight entries (later reads find the parts).
    const writing = run.then(async (ps) => {
      for (let j = 0; j < count; j++) {
        const piece = ps[j];
        if (!piece.bytes) continue;
        await this._writePart(identity, first + j, piece.last, piece.bytes, generation);
        if (piece.last) break;
      }
    }).catch(() => {}).finally(() => {
      for (const [flightKey, piece] of flights) {
        if (this._inFlight.get(flightKey) === piece) this._inFlight.delete(flightKey);
      }
      this._writes.delete(writing);
    });
    this._writes.add(writing);
    return run;
  }

  // One inner request for the aligned span from offset's part on (the whole object for a
  // get), cached from its answer.
  async _readSpan(key, offset, length, whole) {
    const P = this._partSize;
    const identity = this._identity(key);
    const generation = this._generation(identity);
    const first = Math.floor(offset / P);
    const begin = first * P;
    const end = length === Infinity ? Infinity : offset + length;
    const asked = end === Infinity ? Infinity : Math.ceil((end - begin) / P) * P;
    this._counts.innerRequests++;
    this._counts.readsMissed++;
    const got = whole ? await this._inner.get(key) : await this._inner.getRange(key, begin, asked);
    if (got === null || got === undefined) return null;
    const bytes = got instanceof Uint8Array ? got : new Uint8Array(got);
    this._counts.bytesFetched += bytes.length;
    await this._storeParts(identity, first, bytes, bytes.length < asked, generation);
    this._emit({ type: 'miss', op: whole ? 'get' : 'getRange', key, offset, length: bytes.length, fromCache: 0 });
    const rel = offset - begin;
    if (rel > bytes.length) throw beyondEnd(key, offset);
    return bytes.slice(rel, Math.min(bytes.length, rel + length));
  }

  async _storeParts(identity, first, bytes, toEnd, generation) {
    const P = this._partSize;
    for (let j = 0; j * P <= bytes.length; j++) {
      const start = j * P;
      const len = Math.min(P, bytes.length - start);
      if (len < P && !toEnd) break;
      const last = toEnd && len < P;
      await this._writePart(identity, first + j, last, bytes.subarray(start, start + len), generation);
      if (last) break;
    }
  }
}

function sstKey(dbPath, sstId) {
  if (typeof sstId !== 'string' || sstId.length !== 26) {
    throw new StoreError('Invalid', 'invalid SST ULID: invalid length');
  }
  if (!CROCKFORD.test(sstId)) throw new StoreError('Invalid', 'invalid SST ULID: invalid character');
  const root = String(dbPath ?? '').replace(/\/+$/, '');
  return `${root ? root + '/' : ''}compacted/${sstId}.sst`;
}

describeAs(CachedStore, function () {
  return `CachedStore { rootFolder: ${quote(this._rootFolder)}, backend: ${quote(this.backendKind)}, entries: ${this._entries.size} }`;
});
