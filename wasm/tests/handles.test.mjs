// SPDX-License-Identifier: Apache-2.0
//
// How handles behave when things go wrong, as a new user meets it: close() in `finally` on a
// fenced handle, a store root that is a file, and what console.log / String() print for every
// handle (a line, never the Emscripten module and its heap).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';

import { NodeFsStore } from '../js/node_fs_store.mjs';
import {
  ClosedError, InvalidError, MemoryStore, S3Store, SlateDB, SlateDBError, SlateDBReader, StoreError,
  WriteBatch,
} from '../js/slatedb.mjs';

describe('close() is safe in finally', () => {
  test('on a fenced handle it resolves and reports the fencing', async () => {
    const store = new MemoryStore();
    const first = await SlateDB.open({ store, path: 'db' });
    await first.put('a', '1');
    const second = await SlateDB.open({ store, path: 'db' });
    let caught;
    try {
      await first.put('a', '2');
    } catch (e) {
      caught = e;
    } finally {
      const result = await first.close();  // must not throw over `caught`
      assert.equal(result.reason, 'fenced');
      assert.ok(result.error instanceof ClosedError);
      assert.equal(result.error.reason, 'fenced');
    }
    assert.ok(caught instanceof ClosedError && caught.reason === 'fenced');
    assert.equal((await first.close()).reason, 'fenced');  // and again
    assert.match(String(first), /state: 'closed \(fenced\)'/);
    await assert.rejects(first.get('a'), (e) => e instanceof ClosedError && e.reason === 'fenced');
    assert.deepEqual(await second.close(), { reason: 'clean' });
    assert.deepEqual(await second.close(), { reason: 'clean' });  // twice is fine
  });
});

describe('store errors are SlateDB errors', () => {
  test('NodeFsStore.open on a file is StoreError(Invalid), a SlateDBError naming the path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slatedb-handles-'));
    try {
      const file = path.join(dir, 'not-a-dir');
      await writeFile(file, 'x');
      for (const root of [file, path.join(file, 'below')]) {
        await assert.rejects(NodeFsStore.open(root), (e) =>
          e instanceof StoreError && e instanceof SlateDBError && e.code === 'Invalid' &&
          e.kind === 'invalid' && e.message.includes(root) && /not a directory/.test(e.message));
      }
      // Constructed directly, the same error arrives with the first operation.
      await assert.rejects(new NodeFsStore(file).get('k'), (e) => e instanceof StoreError && e.code === 'Invalid');
      await assert.rejects(SlateDB.open({ store: new NodeFsStore(file), path: 'db' }), SlateDBError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('StoreError codes carry the engine kinds', () => {
    assert.equal(new StoreError('Unavailable', 'x').kind, 'unavailable');
    assert.equal(new StoreError('NotFound', 'x').kind, 'data');
    assert.equal(new StoreError('AlreadyExists', 'x').kind, 'internal');
    assert.ok(new StoreError('Invalid', 'x') instanceof SlateDBError);
  });
});

describe('handles print as one line', () => {
  test('console.log and String() of every handle are short and hide the module', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slatedb-handles-'));
    try {
      const fs = await NodeFsStore.open(dir);
      const db = await SlateDB.open({ store: fs, path: 'db1', settings: { flushInterval: '5ms' } });
      await db.put('k', 'v');
      const snap = await db.snapshot();
      const txn = await db.begin('ssi');
      const iter = db.scan();
      const batch = new WriteBatch().put('a', '1');
      const mem = new MemoryStore();
      await mem.put('x', new Uint8Array(100000));
      const s3 = await S3Store.open({ endpoint: 'http://127.0.0.1:1', bucket: 'b', prefix: 'p',
                                      checkConditionalWrites: false });
      const expected = [
        [db, /^SlateDB \{ path: 'db1', store: 'node-fs:.*', state: 'open' \}$/],
        [snap, /^Snapshot \{ db: SlateDB \{.*\}, state: 'open' \}$/],
        [txn, /^Transaction \{ isolation: 'ssi', seq: \d+, state: 'open' \}$/],
        [iter, /^DbIterator \{ db: SlateDB \{.*\}, state: 'open' \}$/],
        [batch, /^WriteBatch \{ operations: 1 \}$/],
        [mem, /^MemoryStore \{ objects: 1 \}$/],
        [fs, /^NodeFsStore \{ root: '.*' \}$/],
        [s3, /^S3Store \{ 's3:\/\/b\/p\/ \(http:\/\/127\.0\.0\.1:1\)' \}$/],
      ];
      for (const [handle, pattern] of expected) {
        for (const text of [inspect(handle), String(handle), `${handle}`]) {
          assert.match(text, pattern);
          assert.ok(text.length < 300, text);
          assert.doesNotMatch(text, /HEAP|wasmMemory|Module/);
        }
      }
      // Nested in other values too (Node calls the hook at any depth).
      assert.ok(inspect({ db, list: [snap, txn] }).length < 600);
      iter.close();
      snap.close();
      txn.rollback();
      await db.close();
      assert.match(inspect(db), /state: 'closed'/);
      const reader = await SlateDBReader.open({ store: fs, path: 'db1' });
      assert.match(inspect(reader), /^SlateDBReader \{ path: 'db1', mode: 'managed', state: 'open' \}$/);
      await reader.close();
      assert.match(String(reader), /state: 'closed'/);
      s3.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a bad argument is still an InvalidError', async () => {
    await assert.rejects(SlateDB.open({ store: new MemoryStore(), path: 5 }), InvalidError);
  });
});
