// SPDX-License-Identifier: Apache-2.0
//
// The engine through the JavaScript API, with JS-implemented stores (every object-store
// request goes wasm -> JsObjectStore -> JS -> back): put/get, scan with seek, flush,
// close, reopen and read back, and fencing of an older writer.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { MemoryStore } from '../js/memory_store.mjs';
import { NodeFsStore } from '../js/node_fs_store.mjs';
import {
  ClosedError, InvalidError, SlateDB, SlateDBError, WriteBatch,
} from '../js/slatedb.mjs';

const enc = new TextEncoder();
const dec = new TextDecoder();
const str = (u8) => (u8 === undefined ? undefined : dec.decode(u8));

const tempDirs = [];
after(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function collect(iter) {
  const out = [];
  for await (const [k, v] of iter) out.push([dec.decode(k), dec.decode(v)]);
  return out;
}

const SETTINGS = { flushInterval: '10ms' };

function engineTests(name, makeStore) {
  describe(`engine smoke: ${name}`, () => {
    test('put, get, delete, batch, scan with seek, flush, close, reopen', async () => {
      const store = await makeStore();
      const db = await SlateDB.open({ store, path: 'smoke/db', settings: SETTINGS });

      const wh = await db.put('key1', 'value1');
      assert.equal(typeof wh.seq, 'number');
      await db.put(enc.encode('key2'), enc.encode('value2'));
      await db.put('key3', 'value3', { awaitDurable: false });
      await db.put('gone', 'soon');
      await db.delete('gone');
      await db.write(new WriteBatch().put('b1', 'x').put('b2', 'y').delete('b1'));
      await db.batch([['put', 'b3', 'z'], { type: 'put', key: 'b4', value: 'w' }]);

      assert.equal(str(await db.get('key1')), 'value1');
      assert.equal(str(await db.get('key2')), 'value2');
      assert.equal(str(await db.get('key3')), 'value3');
      assert.equal(await db.get('gone'), undefined);
      assert.equal(await db.get('b1'), undefined);
      assert.equal(await db.get('missing'), undefined);
      assert.deepEqual(await db.get('empty-value-missing'), undefined);
      await db.put('empty', new Uint8Array(0));
      assert.deepEqual(await db.get('empty'), new Uint8Array(0));

      assert.deepEqual(await collect(db.scan('key1', 'key3')), [['key1', 'value1'], ['key2', 'value2']]);
      assert.deepEqual((await collect(db.scan('b'))).map(([k]) => k),
                       ['b2', 'b3', 'b4', 'empty', 'key1', 'key2', 'key3']);
      assert.deepEqual((await collect(db.scanPrefix('b'))).map(([k]) => k), ['b2', 'b3', 'b4']);

      const it = db.scan('b', 'l');
      const first = await it.next();
      assert.equal(dec.decode(first.value[0]), 'b2');
      await it.seek('key');
      assert.deepEqual((await collect(it)).map(([k]) => k), ['key1', 'key2', 'key3']);

      const it2 = db.scan('a');
      await it2.next();  // b2
      await assert.rejects(it2.seek('a'), InvalidError);  // not after the last key returned
      it2.close();

      await db.flush();
      await db.flush('memtable');
      await db.put('after-flush', '1');
      assert.equal(str(await db.get('key2')), 'value2');  // from the L0 SST now
      await db.close();
      await assert.rejects(db.get('key1'), (e) => e instanceof ClosedError && e.reason === 'clean');
      await db.close();  // twice is fine

      const db2 = await SlateDB.open({ store, path: 'smoke/db', settings: SETTINGS });
      assert.equal(str(await db2.get('key1')), 'value1');
      assert.equal(str(await db2.get('key3')), 'value3');
      assert.equal(str(await db2.get('after-flush')), '1');
      assert.equal(await db2.get('gone'), undefined);
      assert.deepEqual((await collect(db2.scan())).map(([k]) => k),
                       ['after-flush', 'b2', 'b3', 'b4', 'empty', 'key1', 'key2', 'key3']);
      await db2.close();
    });

    test('a second writer fences the first: ClosedError with reason "fenced"', async () => {
      const store = await makeStore();
      const db1 = await SlateDB.open({ store, path: 'fence', settings: SETTINGS });
      await db1.put('a', '1');
      const db2 = await SlateDB.open({ store, path: 'fence', settings: SETTINGS });
      assert.equal(str(await db2.get('a')), '1');
      await assert.rejects(db1.put('b', '2'), (e) => {
        assert.ok(e instanceof ClosedError, `expected ClosedError, got ${e}`);
        assert.ok(e instanceof SlateDBError);
        assert.equal(e.kind, 'closed');
        assert.equal(e.reason, 'fenced');
        return true;
      });
      await assert.rejects(db1.get('a'), (e) => e instanceof ClosedError && e.reason === 'fenced');
      await db2.put('c', '3');
      assert.equal(await db2.get('b'), undefined);
      await db2.close();
    });

    test('argument errors are InvalidError', async () => {
      const store = await makeStore();
      const db = await SlateDB.open({ store, path: 'args', settings: SETTINGS });
      await assert.rejects(db.put('', 'v'), InvalidError);
      await assert.rejects(db.put(42, 'v'), InvalidError);
      await assert.rejects(db.get(''), InvalidError);
      await assert.rejects(db.put('k', 'v', { ttl: -1 }), InvalidError);
      await assert.rejects(db.get('k', { durabilityFilter: 'disk' }), InvalidError);
      await assert.rejects(db.flush('everything'), InvalidError);
      await assert.rejects(db.write([]), InvalidError);
      await assert.rejects(SlateDB.open({ store: {}, path: 'x' }), InvalidError);
      await assert.rejects(SlateDB.open({ store, path: 'x', settings: { nope: 1 } }), InvalidError);
      await db.close();
    });
  });
}

engineTests('js MemoryStore', async () => new MemoryStore());
engineTests('js NodeFsStore', async () => {
  const d = await mkdtemp(path.join(tmpdir(), 'slatedb-wasm-engine-'));
  tempDirs.push(d);
  return NodeFsStore.open(d);
});

describe('engine smoke: bigger data through the JS API', () => {
  test('scan pages through batches; seek within and beyond a fetched batch', async () => {
    const db = await SlateDB.open({ store: new MemoryStore(), path: 'pages', settings: SETTINGS });
    const key = (i) => `k${String(i).padStart(5, '0')}`;
    const batch = new WriteBatch();
    for (let i = 0; i < 1500; i++) batch.put(key(i), `v${i}`);
    await db.write(batch);
    await db.flush('memtable');
    for (let i = 1500; i < 2000; i++) await db.put(key(i), `v${i}`, { awaitDurable: false });
    const all = await collect(db.scan());
    assert.equal(all.length, 2000);
    assert.deepEqual(all[1999], [key(1999), 'v1999']);
    const it = db.scan(key(0), key(1900));
    assert.equal(dec.decode((await it.next()).value[0]), key(0));
    await it.seek(key(10));    // inside the first fetched batch
    assert.equal(dec.decode((await it.next()).value[0]), key(10));
    await it.seek(key(1000));  // beyond it: the engine iterator seeks
    assert.equal(dec.decode((await it.next()).value[0]), key(1000));
    await assert.rejects(it.seek(key(1950)), InvalidError);  // outside [start, end)
    const rest = await collect(it);
    assert.equal(rest.length, 899);
    assert.equal(rest[898][0], key(1899));
    await db.close();
  });

  test('large values grow the wasm memory and come back intact', async () => {
    const store = new MemoryStore();
    const db = await SlateDB.open({ store, path: 'big', settings: SETTINGS });
    const value = (i) => {
      const v = new Uint8Array(1 << 20);
      for (let j = 0; j < v.length; j += 4096) v[j] = (i + j) & 0xff;
      v[v.length - 1] = i;
      return v;
    };
    for (let i = 0; i < 24; i++) await db.put(`big${i}`, value(i), { awaitDurable: false });
    await db.flush('memtable');
    for (let i = 0; i < 24; i++) assert.deepEqual(await db.get(`big${i}`), value(i));
    await db.close();
    const db2 = await SlateDB.open({ store, path: 'big', settings: SETTINGS });
    assert.deepEqual(await db2.get('big23'), value(23));
    await db2.close();
  });

  test('merge operator written in JS', async () => {
    const concat = (key, existing, operand) => {
      const out = new Uint8Array((existing?.length ?? 0) + operand.length);
      if (existing) out.set(existing);
      out.set(operand, existing?.length ?? 0);
      return out;
    };
    const db = await SlateDB.open({ store: new MemoryStore(), path: 'merge', settings: SETTINGS,
                                    mergeOperator: concat });
    await db.merge('m', 'a');
    await db.merge('m', 'b');
    await db.write(new WriteBatch().merge('m', 'c'));
    assert.equal(str(await db.get('m')), 'abc');
    await db.close();
  });
});

describe('engine smoke: built-in C++ memory store', () => {
  test('put/get/scan/close', async () => {
    const db = await SlateDB.open({ store: 'memory', path: 'm', settings: SETTINGS });
    for (let i = 0; i < 100; i++) await db.put(`k${String(i).padStart(3, '0')}`, `v${i}`, { awaitDurable: false });
    await db.flush();
    assert.equal(str(await db.get('k042')), 'v42');
    assert.equal((await collect(db.scan('k010', 'k020'))).length, 10);
    await db.close();
  });
});

describe('engine smoke: every block codec of the format', () => {
  for (const compression of ['none', 'snappy', 'zlib', 'lz4', 'zstd']) {
    test(`${compression}: WAL, L0 and a reopen read back`, async () => {
      const store = new MemoryStore();
      const settings = { ...SETTINGS, compressionCodec: compression, minFilterKeys: 10 };
      let db = await SlateDB.open({ store, path: 'codec', settings });
      const value = (i) => `value-${i}-`.repeat(1 + (i % 7));
      for (let i = 0; i < 300; i++) await db.put(`k${String(i).padStart(4, '0')}`, value(i), { awaitDurable: false });
      await db.flush('memtable');  // an L0 SST in this codec
      await db.put('wal-only', 'w');
      await db.flush();  // a WAL object in this codec
      await db.close();
      // Opened without the setting: every codec is read whatever the setting says.
      db = await SlateDB.open({ store, path: 'codec', settings: SETTINGS });
      for (const i of [0, 17, 150, 299]) {
        assert.equal(str(await db.get(`k${String(i).padStart(4, '0')}`)), value(i));
      }
      assert.equal(str(await db.get('wal-only')), 'w');
      assert.equal((await collect(db.scan('k0100', 'k0200'))).length, 100);
      await db.close();
    });
  }
});
