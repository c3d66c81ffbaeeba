// SPDX-License-Identifier: Apache-2.0
//
// Settings, errors and TTLs from JavaScript go through the core's tables (docs/settings.md,
// core/include/slatedb/error_kinds.h): every applied setting set by name (camelCase, nested)
// is what the opened database uses; bad settings are refused with the same messages as in
// C++ and Python; every error kind reaches JS as the class the core's table names; ttl 0 is
// invisible at once. Runs on the test module (its reject self-test).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import * as api from '../js/slatedb.mjs';
import { ClosedError, InvalidError, SlateDB, SlateDBError, WriteBatch } from '../js/slatedb.mjs';
import { loadModule, call } from '../js/module.mjs';
import { STORE_ERROR_CODES } from '../js/store_common.mjs';
import { useTestModule } from './test_module.mjs';

await useTestModule();

const dec = new TextDecoder();
const at = (doc, name) => name.split('.').reduce((d, part) => d[part], doc);
const nest = (name, value) => name.split('.').reduceRight((inner, part) => ({ [part]: inner }), value);
const open = (settings, extra = {}) => SlateDB.open({ store: 'memory', path: 'db', settings, ...extra });

// A different valid value for an applied setting, from its default (as the C++ and Python
// tests do).
function sample(row, current) {
  switch (row.type) {
    case 'duration': return current === null ? '750ms' : `1s+${current}`;
    case 'integer': return current === null ? 4321 : current + 1;
    case 'bool': return !current;
    case 'number-string': {
      const n = JSON.parse(current);
      return Number.isInteger(n) && !current.includes('.') ? String(n + 1) : String(n + 0.5);
    }
    case 'string': return current === null ? 'Zstd' : null;
    default: return null;  // a nullable group: off
  }
}

describe('settings by name', () => {
  test('every applied setting, by its camelCase name, is what the database uses', async () => {
    const table = await SlateDB.settingsTable();
    const defaults = await SlateDB.resolveSettings();
    const applied = table.filter((r) => r.effect === 'applied' && !(r.type === 'group' && !r.nullable));
    assert.ok(applied.length >= 25);
    for (const row of applied) {
      const value = sample(row, at(defaults, row.name));
      // What the table prints for it (durations and numbers normalised).
      const expected = at(await SlateDB.resolveSettings(nest(row.camelName, value)), row.name);
      assert.notDeepEqual(expected, at(defaults, row.name), row.name);
      const db = await open(nest(row.camelName, value));
      assert.deepEqual(at(await db.settings(), row.name), expected, row.name);
      await db.close();
      // The snake_case dotted name means the same.
      const db2 = await open({ [row.name]: value });
      assert.deepEqual(at(await db2.settings(), row.name), expected, row.name);
      await db2.close();
    }
  });

  test('the table has upstream\'s names, and camelCase derives from them', async () => {
    const table = await SlateDB.settingsTable();
    const names = new Set(table.map((r) => r.name));
    for (const n of ['flush_interval', 'compactor_options.worker.max_sst_size',
      'garbage_collector_options.wal_options.min_age', 'default_ttl_millis', 'compression_codec']) {
      assert.ok(names.has(n), n);
    }
    for (const r of table) {
      assert.equal(r.camelName, r.name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()));
    }
  });

  test('bad settings are refused with the core\'s messages', async () => {
    const cases = [
      [{ bogus: 1 }, 'invalid configuration format (unknown setting `bogus` in settings)'],
      [{ flushInterval: 5 },
        'invalid configuration format (invalid type: integer `5`, expected a string for key "flush_interval" in settings)'],
      [{ l0SstSizeBytes: -1 }, 'invalid value: integer `-1`, expected usize'],
      [{ compressionCodec: 'brotli' }, 'unknown variant `brotli`, expected one of `Snappy`, `Zlib`, `Lz4`, `Zstd`'],
      [{ walEnabled: false }, '`wal_enabled` = false is not supported'],
      [{ compactorOptions: { bogus: 1 } }, 'unknown setting `compactor_options.bogus`'],
      [{ sstBlockSizeBytes: 512 }, 'expected between 1024 and 65536'],
      [{ l0SstSizeBytes: 2048, maxUnflushedBytes: 1024 }, '`max_unflushed_bytes` must exceed l0_sst_size_bytes'],
    ];
    for (const [settings, message] of cases) {
      await assert.rejects(open(settings), (e) => e instanceof InvalidError && e.message.includes(message),
        JSON.stringify(settings));
      await assert.rejects(SlateDB.resolveSettings(settings), InvalidError);
    }
  });
});

describe('error kinds', () => {
  test('every kind of the core\'s table has its class here', async () => {
    const tables = await SlateDB.errorKinds();
    assert.deepEqual(tables.kinds.map((k) => k.name),
      ['transaction', 'closed', 'unavailable', 'invalid', 'data', 'internal']);
    for (const k of tables.kinds) {
      const cls = api[k.jsClass];
      assert.equal(typeof cls, 'function', k.jsClass);
      const e = k.name === 'closed' ? new cls('m', 'fenced') : new cls('m');
      assert.ok(e instanceof SlateDBError);
      assert.equal(e.kind, k.name);
      assert.equal(e.name, k.jsClass);
    }
  });

  test('a StoreError\'s kind is the core\'s kind of its code', async () => {
    const tables = await SlateDB.errorKinds();
    for (const code of STORE_ERROR_CODES) {
      const e = new api.StoreError(code, 'm');
      assert.ok(e instanceof SlateDBError);
      assert.equal(e.kind, tables.codeKinds[code], code);
    }
  });

  test('every status code a call fails with arrives as its kind\'s class', async () => {
    const M = await loadModule();
    const tables = await SlateDB.errorKinds();
    const reject = (code, reason = 0) => call(M, null, (id) => M._slatedb_selftest_reject(code, reason, id));
    // Codes by name from the table, each to the class of its kind (codeKinds); the store's
    // own answers are Data or Internal if they escape.
    assert.equal(tables.codeKinds.NotFound, 'data');
    assert.equal(tables.codeKinds.VersionMismatch, 'internal');
    const classOf = (kind) => tables.kinds.find((k) => k.name === kind).jsClass;
    for (const [code, name] of tables.codes.entries()) {
      if (name === 'Ok') continue;
      const expected = classOf(tables.codeKinds[name]);
      await assert.rejects(reject(code), (e) => e.name === expected && e.message === 'selftest', name);
    }
    const closed = tables.codes.indexOf('Closed');
    for (const [reason, id] of tables.closeReasons.entries()) {
      if (id === 'none') continue;
      await assert.rejects(reject(closed, reason), (e) => e instanceof ClosedError && e.reason === id, id);
    }
  });
});

describe('ttl', () => {
  test('ttl 0 is invisible at once: puts, merges, batches, transactions, the default', async () => {
    const db = await open({ flushInterval: '5ms' },
      { mergeOperator: (k, existing, op) => (existing ? dec.decode(existing) : '') + dec.decode(op) });
    await db.put('k', 'old');
    await db.put('k', 'new', { ttl: 0 });
    assert.equal(await db.get('k'), undefined);
    await db.merge('m', 'a', { ttl: 0 });
    assert.equal(await db.get('m'), undefined);
    await db.write(new WriteBatch().put('b', 'v', { ttl: 0 }).merge('bm', 'v', { ttl: 0 }));
    assert.equal(await db.get('b'), undefined);
    assert.equal(await db.get('bm'), undefined);
    const txn = await db.begin();
    await txn.put('t', 'v', { ttl: 0 });
    await txn.commit();
    assert.equal(await db.get('t'), undefined);
    const rows = [];
    for await (const [key] of db.scan()) rows.push(dec.decode(key));
    assert.deepEqual(rows, []);
    await db.close();

    const withDefault = await open({ defaultTtl: 0 });  // upstream 0.11's name
    await withDefault.put('d', 'v');
    assert.equal(await withDefault.get('d'), undefined);
    await withDefault.put('e', 'v', { ttl: Number.MAX_SAFE_INTEGER });
    assert.equal(dec.decode(await withDefault.get('e')), 'v');
    await withDefault.close();
  });
});
