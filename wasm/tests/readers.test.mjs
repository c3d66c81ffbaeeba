// SPDX-License-Identifier: Apache-2.0
//
// Checkpoints through the writer and the read-only SlateDBReader from JavaScript.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  ClosedError, DataError, InvalidError, MemoryStore, SlateDB, SlateDBReader,
} from '../js/slatedb.mjs';

const dec = new TextDecoder();
const str = (u8) => (u8 === undefined ? undefined : dec.decode(u8));
async function keys(iter) {
  const out = [];
  for await (const [k] of iter) out.push(dec.decode(k));
  return out;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('checkpoints', () => {
  test('create (all, durable, named, with lifetime, from a source), list, refresh, delete', async () => {
    const db = await SlateDB.open({ store: new MemoryStore(), path: 'db', settings: { flushInterval: '5ms' } });
    await db.put('a', '1');
    const c1 = await db.createCheckpoint();
    assert.match(c1.id, UUID);
    assert.equal(typeof c1.manifestId, 'number');
    const c2 = await db.createCheckpoint({ scope: 'Durable', lifetime: 60_000, name: 'nightly' });
    const c3 = await db.createCheckpoint({ source: c1.id, name: 'copy' });
    assert.equal(c3.manifestId, c1.manifestId);
    let list = await db.listCheckpoints();
    assert.deepEqual(list.map((c) => c.id).sort(), [c1.id, c2.id, c3.id].sort());
    const l2 = list.find((c) => c.id === c2.id);
    assert.equal(l2.name, 'nightly');
    assert.ok(l2.expireTime > l2.createTime);
    assert.equal(list.find((c) => c.id === c1.id).expireTime, null);
    await db.refreshCheckpoint(c2.id);  // never expires now
    list = await db.listCheckpoints();
    assert.equal(list.find((c) => c.id === c2.id).expireTime, null);
    await db.deleteCheckpoint(c3.id);
    await db.deleteCheckpoint(c3.id);  // deleting a missing one is fine
    assert.equal((await db.listCheckpoints()).length, 2);
    await db.close();
  });

  test('bad input: scope, lifetime, ids', async () => {
    const db = await SlateDB.open({ store: new MemoryStore(), path: 'db' });
    await assert.rejects(db.createCheckpoint({ scope: 'everything' }), /invalid checkpoint scope/);
    await assert.rejects(db.createCheckpoint({ lifetime: -5 }), InvalidError);
    await assert.rejects(db.createCheckpoint({ source: 'not-a-uuid' }), InvalidError);
    await assert.rejects(db.createCheckpoint({ source: '00000000-0000-4000-8000-000000000000' }), DataError);
    await assert.rejects(db.refreshCheckpoint('nope', 10), InvalidError);
    await assert.rejects(db.deleteCheckpoint(''), InvalidError);
    await db.close();
  });
});

describe('SlateDBReader', () => {
  test('pinned to a checkpoint: sees exactly that version', async () => {
    const store = new MemoryStore();
    const db = await SlateDB.open({ store, path: 'db', settings: { flushInterval: '5ms' } });
    await db.put('a', '1');
    await db.put('b', '2');
    const cp = await db.createCheckpoint();
    await db.put('a', 'changed');
    await db.delete('b');
    await db.put('c', 'new');
    const reader = await SlateDBReader.open({ store, path: 'db', checkpointId: cp.id });
    assert.equal(await reader.checkpointId(), cp.id);
    assert.equal(str(await reader.get('a')), '1');
    assert.equal(str(await reader.get('b')), '2');
    assert.equal(await reader.get('c'), undefined);
    assert.deepEqual(await keys(reader.scan()), ['a', 'b']);
    assert.deepEqual(await keys(reader.scanPrefix('b')), ['b']);
    // The writer is not fenced by the reader.
    await db.put('d', 'still writing');
    await reader.close();
    await assert.rejects(reader.get('a'), ClosedError);
    await db.close();
  });

  test('following the writer: new durable writes appear after a poll', async () => {
    const store = new MemoryStore();
    const db = await SlateDB.open({ store, path: 'db', settings: { flushInterval: '5ms' } });
    await db.put('k1', 'v1');
    const reader = await SlateDBReader.open({ store, path: 'db', manifestPollIntervalMs: 50, checkpointLifetimeMs: 1000 });
    assert.match(await reader.checkpointId(), UUID);
    assert.equal(str(await reader.get('k1')), 'v1');
    await db.put('k2', 'v2');
    await db.flush('memtable');
    await db.put('k3', 'v3');  // durable, still in the WAL
    await reader.refresh();
    assert.deepEqual(await keys(reader.scan()), ['k1', 'k2', 'k3']);
    await db.put('k4', 'v4');
    // The poll timer picks it up on its own.
    for (let i = 0; i < 250 && (await reader.get('k4')) === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(str(await reader.get('k4')), 'v4');
    await reader.close();
    // Its managed checkpoint is gone after close.
    assert.deepEqual(await db.listCheckpoints(), []);
    await db.close();
  });

  test('option validation and a missing database', async () => {
    const store = new MemoryStore();
    await assert.rejects(SlateDBReader.open({ store, path: 'db', mode: 'bogus' }), InvalidError);
    await assert.rejects(SlateDBReader.open({ store, path: 'db', checkpointLifetimeMs: 500 }), InvalidError);
    await assert.rejects(SlateDBReader.open({ store, path: 'db', manifestPollIntervalMs: 1000, checkpointLifetimeMs: 1500 }),
                         InvalidError);
    await assert.rejects(SlateDBReader.open({ store, path: 'db', skipWalReplay: 'yes' }), InvalidError);
    await assert.rejects(SlateDBReader.open({ store, path: 'nothing-here' }), DataError);
  });
});
