// SPDX-License-Identifier: Apache-2.0
//
// Reads issued together: Promise.all of get and getMany cost no more store requests than the
// same gets one by one (the engine's single-flight loads), and getMany answers as get does.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { InvalidError, MemoryStore, SlateDB, WriteBatch } from '../js/slatedb.mjs';
import { observeStore } from '../js/observed_store.mjs';

const dec = new TextDecoder();
const str = (u8) => (u8 === undefined ? undefined : dec.decode(u8));
const key = (i) => `k${String(i).padStart(5, '0')}`;
const N = 2000;

// A database of N keys flushed to L0, and a way to reopen it cold while counting requests.
async function flushedDb() {
  const memory = new MemoryStore();
  let requests = 0;
  const store = observeStore(memory, () => { requests += 1; });
  const db = await SlateDB.open({ store, path: 'db' });
  const batch = new WriteBatch();
  for (let i = 0; i < N; i += 1) batch.put(key(i), `v${i}`);
  await db.write(batch);
  for (let i = 0; i < N; i += 7) await db.delete(key(i), { awaitDurable: false });
  await db.flush('memtable');
  await db.close();
  return {
    async reopen() { return SlateDB.open({ store, path: 'db' }); },
    get requests() { return requests; },
  };
}

const expected = (i) => (i % 7 === 0 ? undefined : `v${i}`);

describe('reads issued together', () => {
  test('Promise.all of cold gets and getMany cost no more requests than gets one by one', async () => {
    const fixture = await flushedDb();
    const keys = [];
    for (let i = 0; i < N; i += 1) keys.push(key(i));

    let db = await fixture.reopen();
    let before = fixture.requests;
    for (let i = 0; i < N; i += 1) assert.equal(str(await db.get(keys[i])), expected(i));
    const oneByOne = fixture.requests - before;
    await db.close();

    db = await fixture.reopen();
    before = fixture.requests;
    const all = await Promise.all(keys.map((k) => db.get(k)));
    const together = fixture.requests - before;
    all.forEach((v, i) => assert.equal(str(v), expected(i)));
    await db.close();

    db = await fixture.reopen();
    before = fixture.requests;
    const many = await db.getMany(keys);
    const multi = fixture.requests - before;
    many.forEach((v, i) => assert.equal(str(v), expected(i)));
    await db.close();

    assert.ok(oneByOne > 0);
    assert.ok(together <= oneByOne, `Promise.all: ${together} requests, one by one: ${oneByOne}`);
    assert.ok(multi <= oneByOne, `getMany: ${multi} requests, one by one: ${oneByOne}`);
  });

  test('getMany answers in the order given, with duplicates, missing keys and a snapshot', async () => {
    const fixture = await flushedDb();
    const db = await fixture.reopen();
    await db.put(key(3), 'newer');
    const asked = [key(5), 'missing', key(3), key(5), key(14), new TextEncoder().encode(key(8))];
    const got = (await db.getMany(asked)).map(str);
    assert.deepEqual(got, ['v5', undefined, 'newer', 'v5', undefined, 'v8']);
    assert.deepEqual(await db.getMany([]), []);
    const snap = await db.snapshot();
    await db.put(key(5), 'later');
    assert.deepEqual((await snap.getMany(asked)).map(str), got);
    snap.close();
    await assert.rejects(db.getMany(['a', '']), InvalidError);
    await assert.rejects(db.getMany('ab'), InvalidError);
    await db.close();
  });
});
