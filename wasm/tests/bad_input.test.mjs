// SPDX-License-Identifier: Apache-2.0
//
// Bad-input matrix for the JavaScript API: wrong types, null/undefined, empty and oversized
// keys, bad TTLs, bad option values and settings, closed handles and a close racing writes.
// Each gets the right error (InvalidError or ClosedError), never a crash, a hang (every
// case runs under a timeout) or a non-SlateDB exception.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MemoryStore } from '../js/memory_store.mjs';
import { ClosedError, InvalidError, SlateDB, WriteBatch } from '../js/slatedb.mjs';

const MAX_KEY = 65535;
const TIMEOUT_MS = 20000;

function withTimeout(promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('call hung')), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Sync throws and async rejections both count.
async function rejectsWith(fn, ErrorClass) {
  await assert.rejects(withTimeout((async () => fn())()), ErrorClass);
}

async function openDb() {
  const settings = { flushInterval: '5ms' };
  return SlateDB.open({ store: new MemoryStore(), path: 'bad/db', settings });
}

const BAD_KEYS = [null, undefined, 42, 1.5, true, {}, [1, 2], () => 1, Symbol('k')];

describe('bad input: keys and values', () => {
  test('wrong key types are InvalidError in every call', async () => {
    const db = await openDb();
    for (const k of BAD_KEYS) {
      await rejectsWith(() => db.get(k), InvalidError);
      await rejectsWith(() => db.put(k, 'v'), InvalidError);
      await rejectsWith(() => db.delete(k), InvalidError);
      await rejectsWith(() => db.merge(k, 'v'), InvalidError);
      await rejectsWith(() => new WriteBatch().put(k, 'v'), InvalidError);
      await rejectsWith(() => new WriteBatch().delete(k), InvalidError);
    }
    await db.close();
  });

  test('wrong value types are InvalidError', async () => {
    const db = await openDb();
    for (const v of [null, undefined, 7, {}, true]) {
      await rejectsWith(() => db.put('k', v), InvalidError);
      await rejectsWith(() => new WriteBatch().put('k', v), InvalidError);
    }
    await db.close();
  });

  test('empty and oversized keys are InvalidError; the largest key works', async () => {
    const db = await openDb();
    for (const k of ['', new Uint8Array(0), new ArrayBuffer(0)]) {
      await rejectsWith(() => db.get(k), InvalidError);
      await rejectsWith(() => db.put(k, 'v'), InvalidError);
      await rejectsWith(() => db.delete(k), InvalidError);
    }
    const tooLong = new Uint8Array(MAX_KEY + 1).fill(107);
    await rejectsWith(() => db.put(tooLong, 'v'), InvalidError);
    // No key that long can exist: a lookup answers "not found", as upstream SlateDB does.
    assert.equal(await db.get(tooLong), undefined);
    await rejectsWith(() => db.write(new WriteBatch().put(tooLong, 'v')), InvalidError);
    const longest = new Uint8Array(MAX_KEY).fill(107);
    await db.put(longest, 'v');
    assert.equal(new TextDecoder().decode(await db.get(longest)), 'v');
    await db.put('empty-value', '');
    assert.deepEqual(await db.get('empty-value'), new Uint8Array(0));
    const big = new Uint8Array(2 << 20).fill(1);
    await db.put('big', big);
    assert.equal((await db.get('big')).length, big.length);
    await db.close();
  });

  test('empty batches and unknown batch operations are InvalidError', async () => {
    const db = await openDb();
    await rejectsWith(() => db.write(new WriteBatch()), InvalidError);
    await rejectsWith(() => db.batch([]), InvalidError);
    await rejectsWith(() => db.batch('nope'), InvalidError);
    await rejectsWith(() => db.batch([['frobnicate', 'k']]), InvalidError);
    await rejectsWith(() => db.batch([null]), InvalidError);
    await db.close();
  });
});

describe('bad input: options and settings', () => {
  test('negative, fractional, non-finite and non-number TTLs are InvalidError', async () => {
    const db = await openDb();
    for (const ttl of [-1, 1.5, NaN, Infinity, -Infinity, 2 ** 60, '10', {}, true]) {
      await rejectsWith(() => db.put('k', 'v', { ttl }), InvalidError);
      await rejectsWith(() => db.merge('k', 'v', { ttl }), InvalidError);
      await rejectsWith(() => new WriteBatch().put('k', 'v', { ttl }), InvalidError);
    }
    await db.put('k', 'v', { ttl: Number.MAX_SAFE_INTEGER });  // huge but valid: no expiry
    assert.equal(new TextDecoder().decode(await db.get('k')), 'v');
    await db.close();
  });

  test('bad option values are InvalidError', async () => {
    const db = await openDb();
    await rejectsWith(() => db.put('k', 'v', { awaitDurable: 'yes' }), InvalidError);
    await rejectsWith(() => db.delete('k', { awaitDurable: 1 }), InvalidError);
    await rejectsWith(() => db.get('k', { durabilityFilter: 'bogus' }), InvalidError);
    await rejectsWith(() => db.get('k', { durabilityFilter: 3 }), InvalidError);
    await rejectsWith(() => db.get('k', { dirty: 'no' }), InvalidError);
    await rejectsWith(() => db.flush('bogus'), InvalidError);
    await rejectsWith(() => db.flush(''), InvalidError);
    await rejectsWith(() => db.scan('b', 'a').next(), InvalidError);
    await db.close();
  });

  test('bad open arguments and settings are InvalidError', async () => {
    const store = new MemoryStore();
    await rejectsWith(() => SlateDB.open(), InvalidError);
    await rejectsWith(() => SlateDB.open(null), InvalidError);
    await rejectsWith(() => SlateDB.open({ path: 'x' }), InvalidError);
    await rejectsWith(() => SlateDB.open({ store: {}, path: 'x' }), InvalidError);
    await rejectsWith(() => SlateDB.open({ store, path: 42 }), InvalidError);
    const notAFunction = { store, path: 'x', mergeOperator: 'concat' };
    await rejectsWith(() => SlateDB.open(notAFunction), InvalidError);
    for (const settings of [
      'fast', [], { noSuchSetting: 1 }, { flushInterval: -5 }, { flushInterval: 'soon' },
      { compressionCodec: 'brotli' }, { l0SstSizeBytes: 1.5 }, { l0SstSizeBytes: NaN },
      { l0SstSizeBytes: 1n }, { walEnabled: false }, { compactorOptions: { bogus: 1 } },
    ]) {
      await rejectsWith(() => SlateDB.open({ store, path: 'x', settings }), InvalidError);
    }
  });
});

describe('bad input: closed handles', () => {
  test('every call on a closed database is ClosedError; closing twice is fine', async () => {
    const db = await openDb();
    await db.put('a', '1');
    const it = db.scan('a');
    await db.close();
    await rejectsWith(() => db.get('a'), ClosedError);
    await rejectsWith(() => db.put('a', '2'), ClosedError);
    await rejectsWith(() => db.delete('a'), ClosedError);
    await rejectsWith(() => db.write(new WriteBatch().put('a', '3')), ClosedError);
    await rejectsWith(() => db.flush(), ClosedError);
    await rejectsWith(() => db.scan('a').next(), ClosedError);
    // An iterator opened before the close keeps reading its fixed view, as upstream's do.
    const row = await it.next();
    assert.equal(row.done, false);
    assert.equal(new TextDecoder().decode(row.value[0]), 'a');
    await withTimeout(db.close());
  });

  test('writes racing a close either succeed or fail with ClosedError', async () => {
    const db = await openDb();
    const puts = [];
    for (let i = 0; i < 100; i++) puts.push(db.put(`k${i}`, 'v', { awaitDurable: i % 2 === 0 }));
    const closes = [db.close(), db.close()];
    const results = await withTimeout(Promise.allSettled([...puts, ...closes]));
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof ClosedError, String(r.reason));
    }
  });
});
