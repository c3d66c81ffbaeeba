// SPDX-License-Identifier: Apache-2.0
//
// WalReader from JavaScript: the rows a writer logged, file by file; following files written
// later; a missing database; bad arguments.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DataError, InvalidError, MemoryStore, SlateDB, WalReader } from '../js/slatedb.mjs';

const dec = new TextDecoder();
const str = (u8) => (u8 === undefined ? undefined : dec.decode(u8));
const concat = (key, existing, operand) => {
  const out = new Uint8Array((existing?.length ?? 0) + operand.length);
  if (existing) out.set(existing);
  out.set(operand, existing?.length ?? 0);
  return out;
};

// put a=1, put b=2, WAL flush, delete a, WAL flush, merge m=x, WAL flush.
async function seed(store) {
  const db = await SlateDB.open({ store, path: 'db', mergeOperator: concat });
  await db.put('a', '1');
  await db.put('b', '2');
  await db.flush('wal');
  await db.delete('a');
  await db.flush('wal');
  await db.merge('m', 'x');
  await db.flush('wal');
  await db.close();
}

async function drainNow(it) {
  const files = [];
  for (;;) {
    const f = await it.tryNext();
    if (f === null) return files;
    files.push(f);
  }
}

describe('WalReader', () => {
  test('returns each logged row once, in order, with its kind and sequence number', async () => {
    const store = new MemoryStore();
    await seed(store);
    const reader = await WalReader.open({ store, path: 'db' });
    const tail = await reader.lastWalFileId(0);
    assert.ok(tail > 1);
    assert.equal(await reader.lastWalFileId(tail), tail);
    const it = reader.files({ start: 1 });
    const files = await drainNow(it);
    assert.equal(files.at(-1).id, tail);
    assert.ok(files.some((f) => f.rows.length === 0), 'the writer\'s fence holds no rows');
    const rows = files.flatMap((f) => f.rows);
    assert.deepEqual(rows.map((r) => [r.kind, str(r.key), str(r.value)]), [
      ['value', 'a', '1'], ['value', 'b', '2'], ['tombstone', 'a', undefined], ['merge', 'm', 'x']]);
    assert.ok(rows.every((r) => typeof r.seq === 'bigint' && r.seq > 0n));
    assert.ok(rows.every((r) => typeof r.createTs === 'number'));
    it.close();
    reader.close();
  });

  test('follows files written later, waiting at the tail', async () => {
    const store = new MemoryStore();
    await seed(store);
    const reader = await WalReader.open({ store, path: 'db' });
    const tail = await reader.lastWalFileId();
    const it = reader.files({ start: tail + 1, pollIntervalMs: 10 });
    assert.equal(await it.tryNext(), null);
    const pending = it.next();
    const db = await SlateDB.open({ store, path: 'db' });
    await db.put('later', 'v');
    await db.flush('wal');
    const keys = [];
    let step = await pending;
    for (;;) {
      keys.push(...step.value.rows.map((r) => str(r.key)));
      if (keys.length > 0) break;
      step = await it.next();
    }
    assert.deepEqual(keys, ['later']);
    await db.close();
    const controller = new AbortController();
    const far = reader.files({ start: 1_000_000, pollIntervalMs: 60_000, signal: controller.signal });
    const ended = far.next();
    controller.abort();
    assert.deepEqual(await ended, { done: true, value: undefined });
    reader.close();
  });

  test('reports a missing database and bad arguments', async () => {
    const reader = await WalReader.open({ store: new MemoryStore(), path: 'nothing' });
    await assert.rejects(reader.lastWalFileId(0), (e) => e instanceof DataError &&
      /failed to find latest transactional object/.test(e.message));
    await assert.rejects(reader.files().tryNext(), DataError);
    assert.throws(() => reader.files({ start: -1 }), InvalidError);
    assert.throws(() => reader.files({ pollIntervalMs: 0 }), InvalidError);
    await assert.rejects(reader.lastWalFileId(1.5), InvalidError);
    await assert.rejects(WalReader.open({ store: 42 }), InvalidError);
    reader.close();
    await assert.rejects(reader.lastWalFileId(0), /closed/);
  });
});
