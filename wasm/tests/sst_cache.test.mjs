// SPDX-License-Identifier: Apache-2.0
//
// Per-SST cache control from JavaScript (docs/caches.md, "Per-SST control"): warmSst,
// evictCachedSst and flushCacheToDisk on SlateDB and SlateDBReader, proven by the range reads
// (object_store/get_range: SST bytes are only ever read by range) that reads cost afterwards.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ClosedError, InvalidError, MemoryStore, SlateDB, SlateDBReader } from '../js/slatedb.mjs';

const KEYS = Array.from({ length: 100 }, (_, i) => `k${String(i).padStart(3, '0')}`);
const valueOf = (key) => key.repeat(250);  // 1000 bytes: the SST has many blocks
const dec = new TextDecoder();
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

async function oneSst(db) {
  for (const key of KEYS) await db.put(key, valueOf(key), { awaitDurable: false });
  await db.flush('memtable');
  const { l0 } = (await db.state()).manifest;
  assert.equal(l0.length, 1);
  return l0[0].id;
}

async function read(handle, keys) {
  for (const key of keys) assert.equal(dec.decode(await handle.get(key)), valueOf(key));
}

const rangeReads = async (handle) => (await handle.metrics())['object_store/get_range'];

describe('per-SST cache control', () => {
  test('after warmSst reads make no request; after evictCachedSst they do again', async () => {
    const db = await SlateDB.open({ store: new MemoryStore(), path: 'db' });
    const sst = await oneSst(db);
    await db.evictCachedSst(sst);
    let before = await rangeReads(db);
    await read(db, KEYS);
    const cold = (await rangeReads(db)) - before;
    assert.ok(cold > 10, `cold reads cost ${cold} range reads`);

    await db.evictCachedSst(sst.toLowerCase());  // either case names it
    await db.warmSst(sst, ['filters', { type: 'index' }, 'stats', 'data']);
    before = await rangeReads(db);
    await read(db, KEYS);
    assert.equal(await rangeReads(db), before);

    await db.evictCachedSst(sst);
    await read(db, KEYS);
    assert.equal((await rangeReads(db)) - before, cold);
    await db.close();
  });

  test('a data range warms only its blocks', async () => {
    const db = await SlateDB.open({ store: new MemoryStore(), path: 'db' });
    const sst = await oneSst(db);
    await db.evictCachedSst(sst);
    await db.warmSst(sst, [{ type: 'data', range: { start: KEYS[50], end: KEYS[60] } }]);
    const before = await rangeReads(db);
    await read(db, KEYS.slice(50, 60));
    assert.equal(await rangeReads(db), before);
    await read(db, KEYS.slice(0, 1));
    assert.equal((await rangeReads(db)) - before, 1);
    await db.close();
  });

  test('ids, targets, unknown SSTs, readers and closed handles', async () => {
    const store = new MemoryStore();
    const db = await SlateDB.open({ store, path: 'db' });
    const sst = await oneSst(db);
    await assert.rejects(db.warmSst('nope', ['index']),
      (e) => e instanceof InvalidError && e.message === 'invalid SST ULID: invalid length');
    await assert.rejects(db.evictCachedSst('nope'), InvalidError);
    await assert.rejects(db.warmSst(sst, ['bogus']), InvalidError);
    await assert.rejects(db.warmSst(sst, 'index'), InvalidError);
    const before = await rangeReads(db);
    await db.warmSst(UNKNOWN, ['data']);
    await db.evictCachedSst(UNKNOWN);
    await db.warmSst(sst, [{ type: 'data', range: { start: 'z', end: 'a' } }]);  // holds no key
    await db.flushCacheToDisk();
    assert.equal(await rangeReads(db), before);

    const reader = await SlateDBReader.open({ store, path: 'db' });
    await reader.warmSst(sst, ['filters', 'data']);
    const readerBefore = await rangeReads(reader);
    await read(reader, KEYS);
    assert.equal(await rangeReads(reader), readerBefore);
    await reader.evictCachedSst(sst);
    await read(reader, KEYS.slice(0, 1));
    assert.ok((await rangeReads(reader)) > readerBefore);
    await reader.flushCacheToDisk();
    await reader.close();
    await assert.rejects(reader.warmSst(sst, ['index']), ClosedError);

    await db.close();
    await assert.rejects(db.warmSst(sst, []), ClosedError);
    await assert.rejects(db.flushCacheToDisk(), ClosedError);
    await assert.rejects(db.evictCachedSst(sst), ClosedError);  // an SST it lists, as upstream
    await db.evictCachedSst(UNKNOWN);
  });
});
