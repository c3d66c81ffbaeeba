// SPDX-License-Identifier: Apache-2.0
//
// Runs inside the browser (imported by page.evaluate from the browser tests): the
// ObjectStore conformance cases against a store made in the page, and a read of a whole
// database for the cross-runtime test.
import { conformanceCases } from '../../wasm/tests/store_conformance_cases.mjs';
import { IndexedDbStore } from '../../wasm/js/indexeddb_store.mjs';
import {
  CachedStore, IndexedDbCacheBackend, MemoryStore, OpfsCacheBackend, S3Store, SlateDB, SlateDBReader,
} from '../../wasm/js/slatedb.mjs';
import { assert } from './mini_assert.mjs';

let counter = 0;

// A factory of fresh, empty stores of `kind`.
function storeFactory(kind, options) {
  if (kind === 'memory') return async () => new MemoryStore();
  if (kind === 'indexeddb') {
    return async () => {
      const name = `conformance-${Date.now()}-${++counter}`;
      await IndexedDbStore.destroy(name);
      return IndexedDbStore.open(name);
    };
  }
  if (kind === 's3') {
    return async () => S3Store.open({ ...options, prefix: `browser-conformance/${Date.now()}-${++counter}/`,
                                      checkConditionalWrites: false });
  }
  if (kind === 'cached-opfs' || kind === 'cached-indexeddb') {
    // The cache around a memory store, caching every key with small parts, so that every
    // case runs through the parts in OPFS / IndexedDB.
    return async () => CachedStore.open(new MemoryStore(), {
      rootFolder: `conformance-${Date.now()}-${++counter}`, backend: kind.slice('cached-'.length),
      partSizeBytes: 4096, cacheable: () => true,
    });
  }
  throw new Error(`unknown store kind ${kind}`);
}

/** Runs every conformance case; resolves with [{name, ok, error}]. */
export async function runConformance(kind, options = {}) {
  const results = [];
  for (const [name, fn] of conformanceCases(storeFactory(kind, options), {}, assert)) {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: `${e.name}: ${e.message}` });
    }
  }
  return results;
}

const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Opens `path` on an S3 store with a read-only SlateDBReader (the writer is not fenced) and
 * returns every [key, value] in hex, in key order.
 */
export async function readAll(s3Options, path) {
  const store = await S3Store.open(s3Options);
  const reader = await SlateDBReader.open({ store, path });
  const rows = [];
  for await (const [k, v] of reader.scan()) rows.push([hex(k), hex(v)]);
  await reader.close();
  store.close();
  return rows;
}

/** A database on IndexedDB: writes, closes, and reopens (returns what the reopen read). */
export async function indexedDbRoundTrip(name) {
  await IndexedDbStore.destroy(name);
  let store = await IndexedDbStore.open(name);
  let db = await SlateDB.open({ store, path: 'db', settings: { l0SstSizeBytes: 4096, flushInterval: '10ms' } });
  for (let i = 0; i < 300; i++) await db.put(`k${String(i).padStart(3, '0')}`, `v${i}`, { awaitDurable: i % 100 === 99 });
  await db.delete('k005');
  await db.close();
  store.close();
  store = await IndexedDbStore.open(name);
  db = await SlateDB.open({ store, path: 'db' });
  const keys = [];
  for await (const [k] of db.scan()) keys.push(new TextDecoder().decode(k));
  const v7 = new TextDecoder().decode(await db.get('k007'));
  const state = await db.state();
  await db.close();
  store.close();
  return { count: keys.length, first: keys[0], has005: keys.includes('k005'), v7, l0: state.manifest.l0.length, runs: state.manifest.sorted_runs.length };
}

/**
 * The API beyond put/get in the page: a transaction with a conflict, a snapshot, a
 * checkpoint and a reader pinned to it. Returns what each step saw.
 */
export async function apiTour() {
  const dec = new TextDecoder();
  const store = new MemoryStore();
  const db = await SlateDB.open({ store, path: 'tour', settings: { flushInterval: '5ms' } });
  await db.put('a', '1');
  const t1 = await db.begin('ssi');
  const t2 = await db.begin('ssi');
  await t1.put('a', 't1');
  await t2.get('a');
  await t2.put('b', 't2');
  await t1.commit();
  let conflict = '';
  try { await t2.commit(); } catch (e) { conflict = `${e.name}/${e.kind}`; }
  const snap = await db.snapshot();
  await db.put('a', 'after snapshot');
  const snapA = dec.decode(await snap.get('a'));
  snap.close();
  const cp = await db.createCheckpoint({ name: 'tour' });
  await db.put('c', 'after checkpoint');
  const reader = await SlateDBReader.open({ store, path: 'tour', checkpointId: cp.id });
  const readerKeys = [];
  for await (const [k, v] of reader.scan()) readerKeys.push(`${dec.decode(k)}=${dec.decode(v)}`);
  await reader.close();
  await db.close();
  return { conflict, snapA, readerKeys };
}

const SST = 'db/compacted/01HZZZZZZZZZZZZZZZZZZZZZZZ.sst';

function pattern(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 2654435761) >>> 24;
  return out;
}

function sameBytes(a, b) {
  return a && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The persistent cache across page loads. step "fill": an SST in an IndexedDbStore, read
 * through a CachedStore (backend "opfs" or "indexeddb") so that its parts are cached.
 * step "read" (after a reload): the same reads; returns how many requests reached the
 * store. step "damage": damages every cached part file first (each must be refetched).
 */
export async function cacheAcrossReload(step, backend, folder) {
  const size = 300 * 1024;
  const inner = await IndexedDbStore.open(`${folder}-src`);
  if (step === 'fill') await inner.put(SST, pattern(size));
  if (step === 'damage') {
    const files = backend === 'opfs' ? await OpfsCacheBackend.open(folder) : await IndexedDbCacheBackend.open(folder);
    for (const f of await files.list()) {
      const file = await files.open(f.name);
      const bytes = await file.read(0, file.size);
      bytes[bytes.length - 1] ^= 0xff;
      await files.write(f.name, bytes);
    }
    files.close();
  }
  const cache = await CachedStore.open(inner, { rootFolder: folder, backend, partSizeBytes: 64 * 1024 });
  const before = inner.counts.getRange + inner.counts.get;
  let ok = true;
  for (let off = 0; off < size; off += 50 * 1024) {
    const got = await cache.getRange(SST, off, 20 * 1024);
    ok &&= sameBytes(got, pattern(size).subarray(off, off + 20 * 1024));
  }
  ok &&= sameBytes(await cache.get(SST), pattern(size));
  await cache.flushCacheToDisk();
  const requests = inner.counts.getRange + inner.counts.get - before;
  const stats = cache.stats();
  cache.close();
  inner.close();
  return { ok, requests, backend: cache.backendKind, entries: stats.entries, corrupt: stats.corruptParts };
}

/** Opens the cache folder and keeps it open (a second tab's open must be refused). */
export async function holdCache(folder) {
  globalThis.heldCache = await CachedStore.open(new MemoryStore(), { rootFolder: folder, backend: 'opfs' });
  return globalThis.heldCache.backendKind;
}

export async function tryOpenCache(folder) {
  try {
    const c = await CachedStore.open(new MemoryStore(), { rootFolder: folder, backend: 'opfs' });
    c.close();
    return 'opened';
  } catch (e) {
    return `${e.code}: ${e.message}`;
  }
}
