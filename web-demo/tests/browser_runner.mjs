// SPDX-License-Identifier: Apache-2.0
//
// Runs inside the browser (imported by page.evaluate from the browser tests): the
// ObjectStore conformance cases against a store made in the page, and a read of a whole
// database for the cross-runtime test.
import { conformanceCases } from '../../wasm/tests/store_conformance_cases.mjs';
import { IndexedDbStore } from '../../wasm/js/indexeddb_store.mjs';
import { MemoryStore, S3Store, SlateDB, SlateDBReader } from '../../wasm/js/slatedb.mjs';
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
