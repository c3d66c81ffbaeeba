// SPDX-License-Identifier: Apache-2.0
//
// The JavaScript API beyond the engine smoke test: snapshots, error classes and kinds,
// metrics, many calls in flight, scan ranges and seek, merge operators in JS.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  ClosedError, InvalidError, MemoryStore, SlateDB, SlateDBError, Snapshot, WriteBatch,
} from '../js/slatedb.mjs';

const dec = new TextDecoder();
const str = (u8) => (u8 === undefined ? undefined : dec.decode(u8));
async function keys(iter) {
  const out = [];
  for await (const [k] of iter) out.push(dec.decode(k));
  return out;
}
const open = (extra = {}) =>
  SlateDB.open({ store: new MemoryStore(), path: 'db', settings: { flushInterval: '5ms' }, ...extra });

describe('snapshots', () => {
  test('a snapshot does not see later writes, deletes or flushes; closing it is final', async () => {
    const db = await open();
    await db.put('a', '1');
    await db.put('b', '2');
    const snap = await db.snapshot();
    assert.ok(snap instanceof Snapshot);
    await db.put('a', 'changed');
    await db.delete('b');
    await db.put('c', 'new');
    await db.flush('memtable');
    assert.equal(str(await snap.get('a')), '1');
    assert.equal(str(await snap.get('b')), '2');
    assert.equal(await snap.get('c'), undefined);
    assert.deepEqual(await keys(snap.scan()), ['a', 'b']);
    assert.deepEqual(await keys(snap.scanPrefix('')), ['a', 'b']);
    assert.deepEqual(await keys(db.scan()), ['a', 'c']);
    const it = snap.scan('a');
    assert.equal(str((await it.next()).value[0]), 'a');
    snap.close();
    snap.close();  // idempotent
    await assert.rejects(snap.get('a'), (e) => e instanceof ClosedError && e.message === 'snapshot is closed');
    assert.throws(() => snap.scan(), ClosedError);
    // An iterator started before close keeps its view.
    assert.deepEqual(await keys(it), ['b']);
    await db.close();
  });

  test('snapshot reads fail Closed after the database closes', async () => {
    const db = await open();
    await db.put('a', '1');
    const snap = await db.snapshot();
    await db.close();
    await assert.rejects(snap.get('a'), ClosedError);
    await assert.rejects(db.snapshot(), ClosedError);
    snap.close();
  });
});

describe('errors', () => {
  test('every error is a SlateDBError subclass with a kind', async () => {
    const db = await open();
    await assert.rejects(db.put('', 'x'), (e) => e instanceof InvalidError && e instanceof SlateDBError &&
      e.kind === 'invalid' && /key cannot be empty/.test(e.message));
    await assert.rejects(db.put(42, 'x'), (e) => e.kind === 'invalid');
    await assert.rejects(db.put('k', 'v', { ttl: -1 }), InvalidError);
    await assert.rejects(db.get('k', { durabilityFilter: 'bogus' }), InvalidError);
    await assert.rejects(db.flush('bogus'), InvalidError);
    await assert.rejects(db.merge('k', 'x'), (e) => e.kind === 'invalid');  // no merge operator
    await assert.rejects(db.write(new WriteBatch()), InvalidError);
    await assert.rejects(keys(db.scan('b', 'a')), InvalidError);
    await assert.rejects(SlateDB.open({ store: new MemoryStore(), settings: { nope: 1 } }), InvalidError);
    await assert.rejects(SlateDB.open({ store: {} }), InvalidError);
    await db.close();
    await assert.rejects(db.put('k', 'v'), (e) => e instanceof ClosedError && e.kind === 'closed' && e.reason === 'clean');
    await assert.rejects(db.get('k'), ClosedError);
    await db.close();  // closing twice is fine
  });

  test('a second writer fences the first: ClosedError with reason "fenced"', async () => {
    const store = new MemoryStore();
    const first = await SlateDB.open({ store, path: 'db' });
    await first.put('a', '1');
    const second = await SlateDB.open({ store, path: 'db' });
    await assert.rejects(first.put('a', '2'), (e) => e instanceof ClosedError && e.reason === 'fenced');
    assert.equal(str(await second.get('a')), '1');
    await second.close();
  });
});

describe('concurrency and merge', () => {
  test('hundreds of puts, gets, merges and scans in flight at once', async () => {
    const db = await open({ mergeOperator: (key, existing, operand) => (str(existing) ?? '') + str(operand) });
    const ops = [];
    for (let i = 0; i < 300; i++) {
      ops.push(db.put(`k${i}`, `v${i}`, { awaitDurable: i % 3 === 0 }));
      ops.push(db.merge('log', `${i % 10}`, { awaitDurable: false }));
    }
    ops.push(db.flush());
    await Promise.all(ops);
    const [vals, scanned] = await Promise.all([
      Promise.all(Array.from({ length: 300 }, (_, i) => db.get(`k${i}`))),
      keys(db.scanPrefix('k')),
    ]);
    vals.forEach((v, i) => assert.equal(str(v), `v${i}`));
    assert.equal(scanned.length, 300);
    const log = str(await db.get('log'));
    assert.equal(log.length, 300);
    assert.equal(log, Array.from({ length: 300 }, (_, i) => `${i % 10}`).join(''));
    await db.close();
  });

  test('a merge operator that throws surfaces as an error, not a crash', async () => {
    const db = await open({ mergeOperator: () => { throw new Error('boom'); } });
    await db.put('k', 'base');
    await db.merge('k', 'x', { awaitDurable: false });
    await assert.rejects(db.get('k'), (e) => e instanceof SlateDBError && /boom/.test(e.message));
    await db.close().catch(() => {});
  });

  test('metrics count operations and object-store requests', async () => {
    const db = await open();
    const before = await db.metrics();
    assert.equal(before['db/get_requests'], 0);
    await db.get('x');
    await db.write(new WriteBatch().put('b1', '1').put('b2', '2'));
    for await (const _ of db.scan()) { /* drain */ }
    await db.flush('memtable');
    const m = await db.metrics();
    assert.ok(m['db/get_requests'] >= 1);
    assert.ok(m['db/scan_requests'] >= 1);
    assert.equal(m['db/write_batch_count'], before['db/write_batch_count'] + 1);
    assert.ok(m['db/immutable_memtable_flushes'] >= 1);
    assert.ok(m['object_store/put'] >= 2);
    await db.close();
  });
});

describe('state (LSM introspection)', () => {
  const hex = (s) => Buffer.from(s).toString('hex');
  test('memtable fill, WAL ids, L0 SSTs with key ranges, manifest version', async () => {
    const db = await open({ settings: { flushInterval: '5ms', l0SstSizeBytes: 1 << 20 } });
    const s0 = await db.state();
    assert.equal(s0.open, true);
    assert.equal(s0.manifest.l0.length, 0);
    assert.equal(s0.memtable.limit_bytes, 1 << 20);
    await db.put('b', '1');
    await db.put('m', '2');
    await db.put('y', '3');
    const s1 = await db.state();
    assert.ok(s1.memtable.bytes > 0);
    assert.ok(s1.wal.last_durable_id >= 1);
    assert.equal(s1.last_seq, 3);
    await db.flush('memtable');
    const s2 = await db.state();
    assert.equal(s2.manifest.l0.length, 1);
    assert.ok(s2.manifest.id > s0.manifest.id);
    const sst = s2.manifest.l0[0];
    assert.equal(sst.first_key, hex('b'));
    assert.equal(sst.last_key, hex('y'));
    assert.equal(sst.rows, undefined);  // the format records no row counts
    assert.ok(sst.bytes > 0);
    assert.equal(s2.memtable.bytes, 0);
    await db.close();
    assert.equal((await db.state()).open, false);  // still readable after close
  });
});

describe('package', () => {
  test('the package exports resolve by name (self-reference through package.json "exports")', async () => {
    const pkg = await import('slatedb-wasm');
    assert.equal(pkg.SlateDB, SlateDB);
    assert.equal(pkg.default, SlateDB);
    assert.equal((await import('slatedb-wasm/s3_store')).S3Store, pkg.S3Store);
    assert.equal(typeof (await import('slatedb-wasm/indexeddb_store')).IndexedDbStore, 'function');
    assert.equal(typeof (await import('slatedb-wasm/node_fs_store')).NodeFsStore, 'function');
    assert.equal(typeof (await import('slatedb-wasm/observed_store')).observeStore, 'function');
  });
});

describe('calls answered at once, pooled results, batched scans', () => {
  test('a memtable get settles inside the call; one that needs the store stays pending', async () => {
    const store = new MemoryStore();
    const db = await SlateDB.open({ store, path: 'db', settings: { flushInterval: '5ms' } });
    const rt = db._M.slatedbRt;
    await db.put('a', '1', { awaitDurable: false });
    const before = rt.pendingCalls();
    const p = db.get('a');
    assert.equal(rt.pendingCalls(), before, 'a memtable hit registers no pending call');
    assert.equal(str(await p), '1');
    assert.equal(await db.get('missing'), undefined);
    await db.flush('memtable');
    // A fresh writer on the same store: its block cache is cold, so the read goes to the JS store.
    await db.close();
    const db2 = await SlateDB.open({ store, path: 'db', settings: { flushInterval: '5ms' } });
    const q = db2.get('a');
    assert.equal(rt.pendingCalls(), before + 1, 'a read that needs I/O is in flight');
    assert.equal(str(await q), '1');
    assert.equal(rt.pendingCalls(), before);
    await db2.close();
    await assert.rejects(db2.get('a'), ClosedError);  // an error answered at once still rejects
  });

  test('pooled get results stay intact and independent', async () => {
    const db = await open();
    for (let i = 0; i < 500; i++) await db.put(`k${i}`, `value-${i}`.repeat(20), { awaitDurable: false });
    const kept = [];
    for (let i = 0; i < 500; i++) kept.push(await db.get(`k${i}`));  // spans several pools
    kept[0].fill(0);  // writing into one result leaves the others alone
    for (let i = 1; i < 500; i++) assert.equal(str(kept[i]), `value-${i}`.repeat(20));
    // Transferring a pooled result's buffer detaches the pool in use; later results are fine.
    const a = await db.get('k1');
    const b = await db.get('k2');
    const moved = structuredClone(a, { transfer: [a.buffer] });
    assert.equal(str(moved), 'value-1'.repeat(20));
    assert.equal(b.byteLength, 0);  // shared the detached pool, as documented
    for (let i = 3; i < 10; i++) assert.equal(str(await db.get(`k${i}`)), `value-${i}`.repeat(20));
    const big = new Uint8Array(5000).fill(7);
    await db.put('big', big);
    assert.deepEqual(await db.get('big'), big);
    await db.close();
  });

  test('nextBatch hands out the same entries as next(), in batches, mixed with next()', async () => {
    const db = await open();
    const n = 1000;
    const batch = new WriteBatch();
    for (let i = 0; i < n; i++) batch.put(`k${String(i).padStart(4, '0')}`, `v${i}`);
    await db.write(batch);
    await db.flush('memtable');
    const it = db.scan();
    const first = await it.next();
    const seen = [dec.decode(first.value[0])];
    const firstBatch = await it.nextBatch();
    assert.ok(firstBatch.length >= 1 && firstBatch.length <= 256);
    const values = firstBatch.map(([, v]) => v);
    for (const [k] of firstBatch) seen.push(dec.decode(k));
    for (;;) {
      const b = await it.nextBatch();
      if (b.length === 0) break;
      for (const [k] of b) seen.push(dec.decode(k));
      const one = await it.next();
      if (one.done) break;
      seen.push(dec.decode(one.value[0]));
    }
    assert.deepEqual(seen, Array.from({ length: n }, (_, i) => `k${String(i).padStart(4, '0')}`));
    // Entries of an earlier batch are unchanged by later ones.
    values.forEach((v, i) => assert.equal(dec.decode(v), `v${i + 1}`));
    assert.deepEqual(await it.nextBatch(), []);
    assert.equal((await it.next()).done, true);
    await db.close();
  });
});

describe('key order', () => {
  test('binary keys (bytes >= 0x80, shared prefixes of every length) scan and seek in unsigned byte order', async () => {
    const db = await open();
    // Keys differing at every position 0..19 after a shared prefix, with high and low bytes,
    // so the word-at-a-time memcmp of the wasm build meets every offset within a word.
    const keySet = new Map();
    let seed = 12345;
    const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 16; };
    for (let len = 1; len <= 20; len++) {
      for (let j = 0; j < 12; j++) {
        const k = new Uint8Array(len);
        for (let i = 0; i < len; i++) k[i] = i < len - 1 ? 0x80 + (i % 3) : rnd() & 0xff;
        keySet.set(Array.from(k).join(','), k);
      }
    }
    for (const k of keySet.values()) await db.put(k, k, { awaitDurable: false });
    const cmp = (a, b) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
      return a.length - b.length;
    };
    const expected = [...keySet.values()].sort(cmp).map((k) => Array.from(k).join(','));
    for (const flush of [false, true]) {
      if (flush) await db.flush('memtable');  // the same from an SST's blocks
      const got = [];
      for await (const [k, v] of db.scan()) {
        assert.equal(cmp(k, v), 0);
        got.push(Array.from(k).join(','));
      }
      assert.deepEqual(got, expected);
      for (const k of keySet.values()) assert.equal(cmp(await db.get(k), k), 0);
      const mid = keySet.get(expected[expected.length >> 1]);
      const it = db.scan(mid);
      assert.equal(cmp((await it.next()).value[0], mid), 0);
      it.close();
    }
    await db.close();
  });
});

describe('descending scans', () => {
  test('every reader of the database scans backward over memtable and SSTs', async () => {
    const db = await open({ mergeOperator: (k, existing, op) => (existing ? dec.decode(existing) : '') + dec.decode(op) });
    for (const k of ['a', 'b', 'c', 'd', 'e']) await db.put(k, k);
    await db.flush('memtable');
    await db.delete('b');
    await db.merge('d', '+');
    await db.put('f', 'f');
    const down = { order: 'descending' };
    assert.deepEqual(await keys(db.scan(undefined, undefined, down)), ['f', 'e', 'd', 'c', 'a']);
    assert.deepEqual(await keys(db.scan('b', 'e', down)), ['d', 'c']);
    assert.deepEqual(await keys(db.scanPrefix('d', down)), ['d']);
    const values = [];
    for await (const [, v] of db.scan('d', 'e', down)) values.push(dec.decode(v));
    assert.deepEqual(values, ['d+']);
    // Batches as well as single entries, in the same order.
    const it = db.scan(undefined, undefined, down);
    assert.deepEqual((await it.nextBatch()).map(([k]) => dec.decode(k)), ['f', 'e', 'd', 'c', 'a']);

    const snap = await db.snapshot();
    await db.put('g', 'g');
    assert.deepEqual(await keys(snap.scan(undefined, undefined, down)), ['f', 'e', 'd', 'c', 'a']);
    snap.close();
    const txn = await db.begin();
    await txn.put('b', 'txn');
    await txn.delete('e');
    assert.deepEqual(await keys(txn.scan(undefined, undefined, down)), ['g', 'f', 'd', 'c', 'b', 'a']);
    txn.rollback();
    await db.close();
  });

  test('a descending iterator refuses seek and bad orders are Invalid', async () => {
    const db = await open();
    for (const k of ['a', 'b', 'c']) await db.put(k, k);
    const it = db.scan(undefined, undefined, { order: 'descending' });
    await assert.rejects(it.seek('b'), (e) => e instanceof InvalidError &&
      e.message === 'seek is not supported for descending scans');
    assert.equal(str((await it.next()).value[0]), 'c');
    assert.throws(() => db.scan('a', 'z', { order: 'sideways' }), InvalidError);
    assert.deepEqual(await keys(db.scan('a', 'z', { order: 'ASCENDING' })), ['a', 'b', 'c']);
    await db.close();
  });
});
