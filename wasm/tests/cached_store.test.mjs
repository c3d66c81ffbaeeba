// SPDX-License-Identifier: Apache-2.0
//
// CachedStore (the persistent cache around a JS store) in Node, on the in-memory backend:
// the conformance cases through it (caching nothing; caching every key with small parts),
// hits make no request, a new CachedStore on the same backend (as after a reload) serves
// what an earlier one cached, the size bound and LRU order, damaged and truncated part
// files are refetched and never served, concurrent misses share one request, warm/evict.
// The OPFS and IndexedDB backends run in headless Chromium (web-demo/tests).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CachedStore, isImmutableSstKey } from '../js/cached_store.mjs';
import { MemoryCacheBackend } from '../js/cache_backends.mjs';
import { MemoryStore } from '../js/memory_store.mjs';
import { defineConformanceTests } from './store_conformance.mjs';

const SST = 'db/compacted/01HZZZZZZZZZZZZZZZZZZZZZZZ.sst';

function pattern(n, seed = 7) {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function requests(store) {
  const c = store.counts;
  return c.get + c.getRange + c.head + c.put + c.list + c.delete;
}

async function open(inner, backend, options = {}) {
  return CachedStore.open(inner, { backend, partSizeBytes: 4096, maxCacheSizeBytes: 1 << 30, ...options });
}

defineConformanceTests('CachedStore over MemoryStore (SST keys only: passes through)',
                       async () => open(new MemoryStore(), new MemoryCacheBackend()));
defineConformanceTests('CachedStore over MemoryStore caching every key, 4 KiB parts',
                       async () => open(new MemoryStore(), new MemoryCacheBackend(), { cacheable: () => true }));
defineConformanceTests('CachedStore over MemoryStore caching every key, 256 KiB parts',
                       async () => open(new MemoryStore(), new MemoryCacheBackend(),
                                        { cacheable: () => true, partSizeBytes: 256 * 1024 }));

describe('CachedStore', () => {
  test('which keys are cached', () => {
    assert.ok(isImmutableSstKey(SST));
    assert.ok(isImmutableSstKey('compacted/x.sst'));
    assert.ok(!isImmutableSstKey('db/wal/00000000000000000001.sst'));
    assert.ok(!isImmutableSstKey('db/manifest/00000000000000000001.manifest'));
    assert.ok(!isImmutableSstKey('db/compactions/00000000000000000001.compactions'));
    assert.ok(!isImmutableSstKey('db/compacted/.sst'));
    assert.ok(!isImmutableSstKey('x.sst'));
  });

  test('a hit makes no request; manifests and WAL always go to the store', async () => {
    const inner = new MemoryStore();
    const store = await open(inner, new MemoryCacheBackend());
    const data = pattern(10000);
    await store.put(SST, data);
    await store.put('db/manifest/00000000000000000001.manifest', pattern(10));
    let before = requests(inner);
    assert.deepEqual(await store.getRange(SST, 5000, 4000), data.subarray(5000, 9000));
    assert.equal(requests(inner) - before, 1);  // parts 1 and 2: one request
    await store.flushCacheToDisk();
    before = requests(inner);
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await store.getRange(SST, 4100 + i, 3000), data.subarray(4100 + i, 7100 + i));
    }
    assert.deepEqual(await store.getRange(SST, 9000, Infinity), data.subarray(9000));
    await assert.rejects(store.getRange(SST, 10001, 1), (e) => e.code === 'Invalid');
    assert.deepEqual(await store.getRange(SST, 10000, 5), new Uint8Array(0));
    assert.equal(requests(inner) - before, 0);
    const stats = store.stats();
    assert.equal(stats.readsMissed, 1);
    assert.ok(stats.readsHit >= 6);
    before = requests(inner);
    for (let i = 0; i < 3; i++) await store.get('db/manifest/00000000000000000001.manifest');
    assert.equal(requests(inner) - before, 3);
    assert.equal(await store.getRange('db/compacted/01HZZZZZZZZZZZZZZZZZZZZZZY.sst', 0, 10), null);
  });

  test('a new CachedStore on the same backend serves the cached parts (a reload)', async () => {
    const inner = new MemoryStore();
    const backend = new MemoryCacheBackend();
    const data = pattern(50000);
    await inner.put(SST, data);
    const first = await open(inner, backend, { partSizeBytes: 8192 });
    assert.deepEqual(await first.get(SST), data);
    first.close();
    const again = await open(inner, backend, { partSizeBytes: 8192 });
    assert.equal(again.stats().entries, 7);
    const before = requests(inner);
    assert.deepEqual(await again.getRange(SST, 1234, 40000), data.subarray(1234, 41234));
    assert.deepEqual(await again.get(SST), data);
    assert.equal(requests(inner) - before, 0);
  });

  test('size stays bounded; least recently used parts go first', async () => {
    const inner = new MemoryStore();
    const part = 4096;
    const maxBytes = 3 * (part + 400);
    const data = pattern(10 * part);
    await inner.put(SST, data);
    const store = await open(inner, new MemoryCacheBackend(), { maxCacheSizeBytes: maxBytes });
    for (let p = 0; p < 10; p++) {
      await store.getRange(SST, p * part, 10);
      await store.getRange(SST, 0, 10);  // part 0 stays the most recent
      assert.ok(store.stats().usedBytes <= maxBytes);
      assert.ok(store.stats().entries <= 3);
    }
    assert.equal(store.stats().evictions, 7);
    const before = requests(inner);
    await store.getRange(SST, 0, 10);
    await store.getRange(SST, 9 * part, 10);
    assert.equal(requests(inner) - before, 0);
  });

  test('damaged, truncated and emptied part files are refetched, never served', async () => {
    const inner = new MemoryStore();
    const backend = new MemoryCacheBackend();
    const data = pattern(4096 * 2 + 100);
    await inner.put(SST, data);
    const store = await open(inner, backend);
    await store.get(SST);
    const names = (await backend.list()).map((f) => f.name);
    assert.equal(names.length, 3);
    const damage = [
      ['last byte flipped', (b) => { const c = b.slice(); c[c.length - 1] ^= 1; return c; }],
      ['header byte flipped', (b) => { const c = b.slice(); c[20] ^= 0x40; return c; }],
      ['truncated', (b) => b.slice(0, b.length >> 1)],
      ['emptied', () => new Uint8Array(0)],
    ];
    for (const [what, hurt] of damage) {
      for (const name of names) {
        backend.setRaw(name, hurt(backend.raw(name)));
        const corrupt = store.stats().corruptParts;
        let before = requests(inner);
        assert.deepEqual(await store.getRange(SST, 0, data.length), data, `${what}: ${name}`);
        assert.equal(requests(inner) - before, 1, `${what}: ${name}`);
        assert.equal(store.stats().corruptParts, corrupt + 1, `${what}: ${name}`);
        before = requests(inner);
        assert.deepEqual(await store.getRange(SST, 0, data.length), data);
        assert.equal(requests(inner) - before, 0, `${what}: ${name} rewritten`);
      }
    }
  });

  test('concurrent misses on one part share one request', async () => {
    const inner = new MemoryStore();
    const data = pattern(4096 * 4);
    await inner.put(SST, data);
    const store = await open(inner, new MemoryCacheBackend(), { partSizeBytes: 8192 });
    const before = requests(inner);
    const reads = [];
    for (let i = 0; i < 50; i++) reads.push(store.getRange(SST, 100 + i * 50, 4000));
    const got = await Promise.all(reads);
    got.forEach((g, i) => assert.deepEqual(g, data.subarray(100 + i * 50, 4100 + i * 50)));
    assert.equal(requests(inner) - before, 1);
    assert.ok(store.stats().partsJoined >= 49);
  });

  test('put and delete through it drop the cached parts', async () => {
    const inner = new MemoryStore();
    const store = await open(inner, new MemoryCacheBackend());
    await store.put(SST, pattern(9000, 1));
    await store.getRange(SST, 0, 9000);
    await store.put(SST, pattern(5000, 2));
    assert.deepEqual(await store.getRange(SST, 0, 9000), pattern(5000, 2));
    await store.delete(SST);
    assert.equal(await store.getRange(SST, 0, 10), null);
    assert.equal(await store.get(SST), null);
    assert.equal(store.stats().entries, 0);
  });

  test('cacheOnFlush caches what this page writes', async () => {
    const inner = new MemoryStore();
    const store = await open(inner, new MemoryCacheBackend(), { cacheOnFlush: true });
    const data = pattern(10000);
    await store.put(SST, data, { mode: 'createIfAbsent' });
    const before = requests(inner);
    assert.deepEqual(await store.get(SST), data);
    assert.equal(requests(inner) - before, 0);
  });

  test('warmSst and evictCachedSst', async () => {
    const inner = new MemoryStore();
    const store = await open(inner, new MemoryCacheBackend());
    const id = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
    const data = pattern(20000);
    await inner.put(`db/compacted/${id}.sst`, data);
    await assert.rejects(store.warmSst('db', 'short'), (e) => e.code === 'Invalid' && e.message === 'invalid SST ULID: invalid length');
    await assert.rejects(store.evictCachedSst('db', '01HZZZZZZZZZZZZZZZZZZZZZZ!'), (e) => e.code === 'Invalid');
    await store.warmSst('db', '01HZZZZZZZZZZZZZZZZZZZZZZY');  // unknown: nothing happens
    await store.warmSst('db', id);
    let before = requests(inner);
    assert.deepEqual(await store.getRange(`db/compacted/${id}.sst`, 12345, 5000), data.subarray(12345, 17345));
    assert.equal(requests(inner) - before, 0);
    await store.evictCachedSst('db', id);
    assert.equal(store.stats().entries, 0);
    before = requests(inner);
    await store.getRange(`db/compacted/${id}.sst`, 0, 10);
    assert.equal(requests(inner) - before, 1);
  });

  test('events tell hits from misses', async () => {
    const inner = new MemoryStore();
    const events = [];
    const store = await open(inner, new MemoryCacheBackend(), { onEvent: (e) => events.push(e) });
    await inner.put(SST, pattern(5000));
    await store.getRange(SST, 0, 100);
    await store.getRange(SST, 0, 100);
    assert.deepEqual(events.map((e) => e.type), ['miss', 'hit']);
    assert.equal(events[1].fromCache, 100);
  });

  test('bad options are Invalid', async () => {
    const inner = new MemoryStore();
    await assert.rejects(CachedStore.open(null), (e) => e.code === 'Invalid');
    await assert.rejects(CachedStore.open(inner, { partSizeBytes: 0, backend: 'memory' }), (e) => e.code === 'Invalid');
    await assert.rejects(CachedStore.open(inner, { partSizeBytes: 1 << 20, maxCacheSizeBytes: 1024, backend: 'memory' }),
                         (e) => e.code === 'Invalid');
    await assert.rejects(CachedStore.open(inner, { rootFolder: 'a/b', backend: 'memory' }), (e) => e.code === 'Invalid');
  });
});

describe('CachedStore under the engine', () => {
  test('a database reads its SSTs through it; after a restart, warmSst fills the cache', async () => {
    const { SlateDB } = await import('../js/slatedb.mjs');
    const inner = new MemoryStore();
    const backend = new MemoryCacheBackend();
    let store = await open(inner, backend, { partSizeBytes: 16 * 1024 });
    let db = await SlateDB.open({ store, path: 'db', settings: { l0SstSizeBytes: 64 * 1024, flushInterval: '10ms' } });
    for (let i = 0; i < 2000; i++) await db.put(`key${i}`, `value${i}-${'x'.repeat(60)}`, { awaitDurable: false });
    await db.flush('memtable');
    const ids = (await db.state()).manifest.l0.map((s) => s.id);
    assert.ok(ids.length >= 1);
    await db.close();
    store.close();

    // A new process: caches empty in memory, the parts kept by the backend. Warm, then read.
    store = await open(inner, backend, { partSizeBytes: 16 * 1024 });
    db = await SlateDB.open({ store, path: 'db' });
    await assert.rejects(db.warmSst('not-a-ulid'), (e) => e.message === 'invalid SST ULID: invalid length');
    // No targets warm nothing (as upstream); any target also brings the whole SST into the cache.
    for (const id of ids) await db.warmSst(id, ['filters', 'index', 'data']);
    const before = inner.counts.getRange;
    for (let i = 0; i < 2000; i += 37) {
      assert.equal(new TextDecoder().decode(await db.get(`key${i}`)), `value${i}-${'x'.repeat(60)}`);
    }
    assert.equal(inner.counts.getRange - before, 0, 'every SST byte came from the cache');
    assert.ok(store.stats().readsHit > 0);
    await db.evictCachedSst(ids[0]);
    await db.close();
    store.close();
  });
});
