// SPDX-License-Identifier: Apache-2.0
//
// Transactions from JavaScript: read-your-writes, scans merging buffered writes, commit and
// rollback, the closed state, and the SI / SSI conflict cases of the Python spec.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  ClosedError, InvalidError, MemoryStore, SlateDB, Transaction, TransactionError,
} from '../js/slatedb.mjs';

const dec = new TextDecoder();
const str = (u8) => (u8 === undefined ? undefined : dec.decode(u8));
async function keys(iter) {
  const out = [];
  for await (const [k] of iter) out.push(dec.decode(k));
  return out;
}
const open = () => SlateDB.open({
  store: new MemoryStore(), path: 'db', settings: { flushInterval: '5ms' },
  mergeOperator: (k, existing, op) => (str(existing) ?? '') + str(op),
});

describe('transactions', () => {
  test('read-your-writes, merged scans, commit, visibility', async () => {
    const db = await open();
    await db.put('tp0', 'committed');
    const txn = await db.begin();
    assert.ok(txn instanceof Transaction);
    assert.equal(txn.isolation, 'si');
    assert.ok(txn.isOpen);
    await txn.put('tp1', 'a');
    await txn.put('tp2', 'b', { ttl: 60_000 });
    await txn.put('other', 'c');
    await txn.merge('tp0', '+m');
    assert.equal(str(await txn.get('tp1')), 'a');
    assert.equal(str(await txn.get('tp0')), 'committed+m');
    assert.equal(await db.get('tp1'), undefined);  // not visible outside before commit
    const early = txn.scanPrefix('tp');
    await txn.put('tp3', 'late');
    assert.deepEqual(await keys(early), ['tp0', 'tp1', 'tp2']);  // made before tp3
    assert.deepEqual(await keys(txn.scanPrefix('')), ['other', 'tp0', 'tp1', 'tp2', 'tp3']);
    await txn.delete('tp3');
    const wh = await txn.commit();
    assert.ok(wh.seq >= 1 && wh.createTs >= 0);
    assert.equal(txn.isOpen, false);
    assert.equal(str(await db.get('tp2')), 'b');
    assert.equal(str(await db.get('tp0')), 'committed+m');
    assert.equal(await db.get('tp3'), undefined);
    await assert.rejects(txn.get('tp1'), (e) => e instanceof ClosedError && e.message === 'transaction is closed');
    await assert.rejects(txn.put('x', 'y'), ClosedError);
    await assert.rejects(txn.commit(), ClosedError);
    assert.throws(() => txn.scan(), ClosedError);
    txn.rollback();  // still fine
    await db.close();
  });

  test('a commit with no writes resolves undefined; rollback discards', async () => {
    const db = await open();
    const t1 = await db.begin('ssi');
    assert.equal(t1.isolation, 'ssi');
    await t1.get('nothing');
    assert.equal(await t1.commit(), undefined);
    const t2 = await db.begin();
    await t2.put('k', 'v');
    t2.rollback();
    t2.rollback();
    assert.equal(await db.get('k'), undefined);
    await assert.rejects(t2.commit(), ClosedError);
    await db.close();
  });

  test('isolation levels: names accepted and rejected', async () => {
    const db = await open();
    for (const name of ['SI', 'snapshot', 'ssi', 'Serializable', 'serializable_snapshot']) {
      (await db.begin(name)).rollback();
    }
    await assert.rejects(db.begin('read_committed'), (e) => e instanceof InvalidError && /isolation/.test(e.message));
    await db.close();
  });

  test('SI: write-write conflicts with another transaction and with a plain put', async () => {
    const db = await open();
    const a = await db.begin();
    const b = await db.begin();
    await a.put('k', 'a');
    await b.put('k', 'b');
    await a.commit();
    await assert.rejects(b.commit(), (e) => e instanceof TransactionError && e.kind === 'transaction');
    assert.equal(b.isOpen, false);
    assert.equal(str(await db.get('k')), 'a');

    const c = await db.begin();
    await c.put('k1', 'txn');
    await db.put('k1', 'plain');
    await assert.rejects(c.commit(), TransactionError);
    assert.equal(str(await db.get('k1')), 'plain');
    await db.close();
  });

  test('SSI: read-write and scanned-range (phantom) conflicts; SI ignores reads', async () => {
    const db = await open();
    const t1 = await db.begin('ssi');
    const t2 = await db.begin('ssi');
    await t2.get('k2');
    await t1.put('k2', 'x');
    await t1.commit();
    await t2.put('k3', 'y');
    await assert.rejects(t2.commit(), TransactionError);

    const t3 = await db.begin('ssi');
    const t4 = await db.begin('ssi');
    await keys(t4.scan('k2', 'k3\xff'));
    await t3.put('k2a', 'new key inside the scanned range');
    await t3.commit();
    await t4.put('k4', 'z');
    await assert.rejects(t4.commit(), TransactionError);

    const t5 = await db.begin('si');
    await t5.get('k2');
    await db.put('k2', 'changed');
    await t5.put('k5', 'ok');
    assert.ok((await t5.commit()).seq > 0);
    await db.close();
  });

  test('markRead and unmarkWrite', async () => {
    const db = await open();
    const t1 = await db.begin('ssi');
    await t1.markRead('watched');
    await db.put('watched', 'changed');
    await t1.put('other', 'x');
    await assert.rejects(t1.commit(), TransactionError);

    const a = await db.begin();
    const b = await db.begin();
    await a.merge('counter', '1');
    await b.merge('counter', '2');
    await a.unmarkWrite('counter');
    await b.unmarkWrite('counter');
    await a.commit();
    await b.commit();
    assert.equal(str(await db.get('counter')).length, 2);
    await db.close();
  });
});
