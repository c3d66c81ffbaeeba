// SPDX-License-Identifier: Apache-2.0
//
// Filter policies and prefix extractors from JavaScript (docs/wasm.md, "Filter policies and
// prefix extractors"): a database written with prefix bloom filters (several L0 SSTs, each
// over the whole key range, so only filters can rule an SST out) answers gets and prefix
// scans exactly as a model says, through the writer, a snapshot, a transaction and readers
// whose policies match all, some or none of the SSTs' filters; prefix scans read fewer SST
// bytes with a matching filter than without; bad options fail with InvalidError and bad
// extractors with an error naming them, never a crash. The JavaScript twin of python/tests/uniffi/test_uniffi_filters.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { observeStore } from '../js/observed_store.mjs';
import { ClosedError, InvalidError, MemoryStore, SlateDB, SlateDBReader } from '../js/slatedb.mjs';
import { SlateDBWorker } from '../js/worker.mjs';

const GROUPS = ['bbb', 'ccc', 'ddd', 'eee', 'fff', 'ggg'];
const PER_GROUP = 30;
const enc = new TextEncoder();
const dec = new TextDecoder();

// The first 3 bytes of keys and prefixes that have them (python's Pe3).
function pe3(name = 'pe3', calls = null) {
  return {
    name,
    prefixLen(data, isPoint) {
      if (calls) calls.push([dec.decode(data), isPoint]);
      return data.length >= 3 ? 3 : undefined;
    },
  };
}
const prefixOnly = (name) => ({ bitsPerKey: 10, wholeKeyFiltering: false, prefixExtractor: pe3(name) });
const prefixAndWhole = (name) => ({ prefixExtractor: pe3(name) });

// Every L0 SST gets its filters; the SSTs stay in L0, overlapping.
const SETTINGS = { minFilterKeys: 10, l0MaxSsts: 64, compactorOptions: null, flushInterval: '5ms' };

// One L0 SST per group, each also holding the edge keys aaaN and zzzN; returns the model.
async function writeGroups(db) {
  const model = new Map();
  for (const [n, group] of GROUPS.entries()) {
    const rows = new Map([[`aaa${n}`, 'edge'], [`zzz${n}`, 'edge']]);
    for (let i = 0; i < PER_GROUP; i++) rows.set(`${group}${String(i).padStart(4, '0')}`, `v${n}-${i}`);
    for (const [k, v] of rows) await db.put(k, v, { awaitDurable: false });
    if (n === 1) {
      await db.delete(`${GROUPS[0]}0003`, { awaitDurable: false });  // a tombstone in a later SST
      rows.set(`${GROUPS[0]}0003`, null);
    }
    await db.flush('memtable');
    for (const [k, v] of rows) model.set(k, v);
  }
  for (const [k, v] of [...model]) if (v === null) model.delete(k);
  assert.equal((await db.state()).manifest.l0.length, GROUPS.length);
  return model;
}

async function drain(it) {
  const out = [];
  for await (const [k, v] of it) out.push([dec.decode(k), dec.decode(v)]);
  return out;
}

async function checkReads(handle, model) {
  const sorted = [...model].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of sorted) assert.equal(dec.decode(await handle.get(k)), v, k);
  for (const k of ['qqq0001', 'bbb9999', 'b', 'zzz9', `${GROUPS[0]}0003`]) {
    assert.equal(await handle.get(k), undefined, k);
  }
  for (const prefix of [...GROUPS, 'qqq', 'aa', '', 'ccc001']) {
    const want = sorted.filter(([k]) => k.startsWith(prefix));
    assert.deepEqual(await drain(handle.scanPrefix(prefix)), want, prefix);
    assert.deepEqual(await drain(handle.scanPrefix(enc.encode(prefix), { order: 'descending' })),
      [...want].reverse(), prefix);
  }
  // A range scan told its prefix: same rows as without.
  assert.deepEqual((await drain(handle.scan('ddd0010', 'ddd0013', { filterPrefix: 'ddd' }))).map(([k]) => k),
    ['ddd0010', 'ddd0011', 'ddd0012']);
}

// SST bytes fetched (get/getRange of .sst objects) by `fn`.
async function sstReads(counter, fn) {
  const before = { ...counter };
  await fn();
  return { requests: counter.requests - before.requests, bytes: counter.bytes - before.bytes };
}

function countedStore(memory) {
  const counter = { requests: 0, bytes: 0 };
  const store = observeStore(memory, (info) => {
    if ((info.op === 'get' || info.op === 'getRange') && info.key.endsWith('.sst')) {
      counter.requests += 1;
      counter.bytes += info.receivedBytes;
    }
  });
  return { store, counter };
}

describe('filter policies from JavaScript', () => {
  for (const [what, policies] of [
    ['prefix only', [prefixOnly()]],
    ['prefix and whole key', [prefixAndWhole()]],
    ['prefix only plus a whole-key policy', [prefixOnly(), { bitsPerKey: 7 }]],
  ]) {
    test(`${what}: writer, snapshot, transaction and reader read back exactly`, async () => {
      const memory = new MemoryStore();
      const db = await SlateDB.open({ store: memory, path: 'db', settings: SETTINGS, filterPolicies: policies });
      const model = await writeGroups(db);
      await checkReads(db, model);
      const snap = await db.snapshot();
      await checkReads(snap, model);
      snap.close();
      const txn = await db.begin();
      await checkReads(txn, model);
      await txn.rollback();
      await db.close();
      const reader = await SlateDBReader.open({ store: memory, path: 'db', filterPolicies: policies });
      await checkReads(reader, model);
      await reader.close();
    });
  }

  test('a prefix scan over several L0 SSTs reads fewer SST bytes with the filter', async () => {
    const memory = new MemoryStore();
    const policies = [prefixOnly()];
    const db = await SlateDB.open({ store: memory, path: 'db', settings: SETTINGS, filterPolicies: policies });
    const model = await writeGroups(db);
    await db.close();
    const { store, counter } = countedStore(memory);
    const cost = {};
    for (const [name, filterPolicies] of [['matching', policies], ['none', []], ['other name', [prefixOnly('other')]]]) {
      const reader = await SlateDBReader.open({ store, path: 'db', filterPolicies });
      // Each reader has its own cache: the first scan opens every SST (index, filters), the
      // second shows what a prefix scan itself fetches.
      await drain(reader.scanPrefix('zzz'));
      cost[name] = await sstReads(counter, async () => {
        assert.deepEqual((await drain(reader.scanPrefix('ccc'))).length, PER_GROUP);
        assert.equal((await drain(reader.scanPrefix('qqq'))).length, 0);
      });
      // Point reads of absent keys: the prefix-only filter rules out every SST.
      cost[`${name} gets`] = await sstReads(counter, async () => {
        for (const k of ['qqq0001', 'rrr0002', 'sss0003']) assert.equal(await reader.get(k), undefined);
      });
      await checkReads(reader, model);
      await reader.close();
    }
    console.log('SST reads of two prefix scans / three absent gets (6 L0 SSTs):', JSON.stringify(cost));
    // With the filter only the one SST holding 'ccc' is read; without, every SST's block of
    // that key range is.
    assert.ok(cost.matching.requests < cost.none.requests, JSON.stringify(cost));
    assert.ok(cost.matching.bytes * 2 < cost.none.bytes, JSON.stringify(cost));
    assert.ok(cost.matching.requests <= 1, JSON.stringify(cost));
    // (one of the 18 filter probes may be a false positive)
    assert.ok(cost['matching gets'].requests * 3 <= cost['none gets'].requests, JSON.stringify(cost));
    // A filter of another extractor's name is ignored: as costly as none, answers still right.
    assert.deepEqual(cost['other name'], cost.none);
  });

  test('readers and writers whose policies match some or none of the filters read correctly', async () => {
    const memory = new MemoryStore();
    const db = await SlateDB.open({ store: memory, path: 'db', settings: SETTINGS,
                                    filterPolicies: [prefixOnly(), { bitsPerKey: 7 }] });
    const model = await writeGroups(db);
    await db.close();
    for (const filterPolicies of [[prefixOnly('other')], [], [{ bitsPerKey: 10 }], [prefixOnly()], undefined]) {
      const reader = await SlateDBReader.open({ store: memory, path: 'db', filterPolicies });
      await checkReads(reader, model);
      await reader.close();
      const writer = await SlateDB.open({ store: memory, path: 'db', settings: SETTINGS, filterPolicies });
      await checkReads(writer, model);
      await writer.close();
    }
  });

  test('the extractor is called with copies of keys and prefixes; name may be a method', async () => {
    const calls = [];
    const scribbling = (data, isPoint) => {
      calls.push([dec.decode(data), isPoint]);
      const n = data.length >= 3 ? 3 : undefined;
      data.fill(0x21);  // a copy: changing it changes nothing stored or looked up
      return n;
    };
    const db = await SlateDB.open({
      store: new MemoryStore(), path: 'db', settings: SETTINGS,
      filterPolicies: [{ wholeKeyFiltering: false, prefixExtractor: { name: () => 'pe3', prefixLen: scribbling } }],
    });
    for (let i = 0; i < 20; i++) await db.put(`ab${i % 2 ? 'c' : 'e'}${i}`, `v${i}`, { awaitDurable: false });
    await db.flush('memtable');
    assert.ok(calls.some(([k, point]) => k === 'abc1' && point === true), JSON.stringify(calls));
    calls.length = 0;
    // The SST spans abc..abe: only its filter can rule 'abd' out.
    assert.equal((await drain(db.scanPrefix('abd'))).length, 0);
    assert.deepEqual(calls, [['abd', false]]);
    assert.deepEqual((await drain(db.scanPrefix('abc'))).map(([k, v]) => k + v).slice(0, 2), ['abc1v1', 'abc11v11']);
    assert.equal(dec.decode(await db.get('abe0')), 'v0');
    await db.close();
  });
});

describe('filter options: bad input', () => {
  const store = () => new MemoryStore();
  const badOpens = [
    ['filterPolicies not an array', { filterPolicies: { bitsPerKey: 10 } }],
    ['a policy that is not an object', { filterPolicies: [10] }],
    ['negative bitsPerKey', { filterPolicies: [{ bitsPerKey: -1 }] }],
    ['fractional bitsPerKey', { filterPolicies: [{ bitsPerKey: 1.5 }] }],
    ['bitsPerKey a string', { filterPolicies: [{ bitsPerKey: '10' }] }],
    ['wholeKeyFiltering not a boolean', { filterPolicies: [{ wholeKeyFiltering: 'no' }] }],
    ['an unknown policy option', { filterPolicies: [{ wholeKeyFilter: false }] }],
    ['prefixLen not a function', { filterPolicies: [{ prefixExtractor: { name: 'x', prefixLen: 3 } }] }],
    ['an extractor that is a function', { filterPolicies: [{ prefixExtractor: () => 3 }] }],
    ['an extractor without a name', { filterPolicies: [{ prefixExtractor: { prefixLen: () => 3 } }] }],
    ['an empty name', { segmentExtractor: { name: '', prefixLen: () => 1 } }],
    ['a segment extractor without prefixLen', { segmentExtractor: { name: 'seg' } }],
  ];
  for (const [what, extra] of badOpens) {
    test(`${what}: SlateDB.open and SlateDBReader.open reject with InvalidError`, async () => {
      await assert.rejects(SlateDB.open({ store: store(), path: 'db', ...extra }), InvalidError);
      await assert.rejects(SlateDBReader.open({ store: store(), path: 'db', ...extra }), InvalidError);
    });
  }

  test('SlateDBWorker refuses extractors (functions cannot reach a worker) before starting one', async () => {
    await assert.rejects(SlateDBWorker.open({ store: 'memory', segmentExtractor: pe3() }), InvalidError);
    await assert.rejects(SlateDBWorker.open({ store: 'memory', filterPolicies: [prefixOnly()] }), InvalidError);
  });

  test('a bad filterPrefix is InvalidError', async () => {
    const db = await SlateDB.open({ store: 'memory', path: 'db' });
    assert.throws(() => db.scan('a', 'b', { filterPrefix: 42 }), InvalidError);
    await db.close();
  });

  for (const [what, prefixLen, message] of [
    ['longer than the key', () => 99, /prefixLen returned 99 for a key of \d+ bytes/],
    ['negative', () => -1, /prefixLen returned -1/],
    ['fractional', () => 1.5, /prefixLen returned 1.5/],
    ['a string', () => '3', /prefixLen returned "3"/],
    ['a BigInt', () => 3n, /prefixLen returned 3/],
    ['a throw', () => { throw new Error('boom'); }, /prefixLen threw: boom/],
  ]) {
    test(`a prefixLen answering ${what} stops the database at its flush, not a crash`, async () => {
      const db = await SlateDB.open({ store: store(), path: 'db', settings: SETTINGS,
                                      filterPolicies: [{ prefixExtractor: { name: 'bad', prefixLen } }] });
      for (let i = 0; i < 20; i++) await db.put(`key${i}`, 'v', { awaitDurable: false });
      // The SST cannot be written: as any failed memtable flush, the database stops with
      // ClosedError (reason 'backgroundError') naming the extractor and what it answered.
      const named = (e) => {
        assert.ok(e instanceof ClosedError, String(e));
        assert.equal(e.reason, 'backgroundError');
        assert.match(e.message, /prefix extractor 'bad': /);
        assert.match(e.message, message);
        return true;
      };
      await assert.rejects(db.flush('memtable'), named);
      await assert.rejects(db.get('key3'), named);
      const closed = await db.close();
      assert.equal(closed.reason, 'backgroundError');
      named(closed.error);
    });
  }

  test('an extractor that fails on reads only makes the filter answer "may match"', async () => {
    const memory = new MemoryStore();
    const db = await SlateDB.open({ store: memory, path: 'db', settings: SETTINGS, filterPolicies: [prefixOnly()] });
    const model = await writeGroups(db);
    await db.close();
    const failing = { name: 'pe3', prefixLen: () => { throw new Error('read-side failure'); } };
    const reader = await SlateDBReader.open({ store: memory, path: 'db',
                                              filterPolicies: [{ wholeKeyFiltering: false, prefixExtractor: failing }] });
    await checkReads(reader, model);
    await reader.close();
  });
});

describe('segment extractor from JavaScript', () => {
  const firstByte = (name = 'seg1') => ({ name, prefixLen: (data) => (data.length > 0 ? 1 : undefined) });

  test('keys are split into segments; the name is fixed at creation', async () => {
    const memory = new MemoryStore();
    const db = await SlateDB.open({ store: memory, path: 'db', settings: SETTINGS, segmentExtractor: firstByte() });
    for (const k of ['a1', 'a2', 'b1', 'c1']) await db.put(k, k.toUpperCase(), { awaitDurable: false });
    await db.flush('memtable');
    assert.deepEqual((await drain(db.scanPrefix('a'))).map(([k, v]) => k + v), ['a1A1', 'a2A2']);
    assert.deepEqual((await drain(db.scan())).map(([k]) => k), ['a1', 'a2', 'b1', 'c1']);
    await db.close();

    await assert.rejects(SlateDB.open({ store: memory, path: 'db', segmentExtractor: firstByte('other') }),
      (e) => e instanceof InvalidError && /segment extractor configuration mismatch/.test(e.message));
    await assert.rejects(SlateDB.open({ store: memory, path: 'db' }), InvalidError);
    const reader = await SlateDBReader.open({ store: memory, path: 'db', segmentExtractor: firstByte() });
    assert.equal(dec.decode(await reader.get('b1')), 'B1');
    await reader.close();
  });

  test('a key the segment extractor gives no prefix, or a throwing extractor, fails that write', async () => {
    const picky = { name: 'picky', prefixLen: (data) => {
      if (data[0] === 0x78) throw new Error('no x keys');  // 'x'
      return data[0] === 0x61 ? 1 : 0;                      // 'a': 1, anything else: empty
    } };
    const db = await SlateDB.open({ store: new MemoryStore(), path: 'db', segmentExtractor: picky });
    await db.put('a1', 'v');
    await assert.rejects(db.put('b1', 'v'), (e) => e instanceof InvalidError && /empty prefix/.test(e.message));
    await assert.rejects(db.put('x1', 'v'),
      (e) => e instanceof InvalidError && /prefix extractor 'picky': prefixLen threw: no x keys/.test(e.message));
    assert.equal(dec.decode(await db.get('a1')), 'v');  // the database is still open
    assert.equal((await db.close()).reason, 'clean');
  });
});
