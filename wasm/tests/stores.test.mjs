// SPDX-License-Identifier: Apache-2.0
//
// Object-store conformance for the JavaScript stores and, through cppStore(), for the C++
// glue: JsObjectStore (a JS store seen from C++), the Status <-> error-code round trip, and
// the MemoryObjectStore compiled into the module. Plus the runtime self-tests (executor,
// clock, coroutine chains; in the test module only) and misbehaving stores.
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, mkdir, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { MemoryStore } from '../js/memory_store.mjs';
import { NodeFsStore } from '../js/node_fs_store.mjs';
import { cppStore } from '../js/slatedb.mjs';
import { defineConformanceTests } from './store_conformance.mjs';
import { runtimeSelfTest, storeSelfTest, useTestModule } from './test_module.mjs';

await useTestModule();

const tempDirs = [];
async function tempDir() {
  const d = await mkdtemp(path.join(tmpdir(), 'slatedb-wasm-test-'));
  tempDirs.push(d);
  return d;
}
after(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

const proxies = [];
async function viaCpp(store) {
  const p = await cppStore(store);
  proxies.push(p);
  return p;
}

defineConformanceTests('js MemoryStore', async () => new MemoryStore());
defineConformanceTests('js NodeFsStore', async () => NodeFsStore.open(await tempDir()),
                       { fileSystem: true });
defineConformanceTests('C++ JsObjectStore over js MemoryStore',
                       async () => viaCpp(new MemoryStore()));
defineConformanceTests('C++ JsObjectStore over js NodeFsStore',
                       async () => viaCpp(await NodeFsStore.open(await tempDir())),
                       { fileSystem: true });
defineConformanceTests('C++ MemoryObjectStore (platform/memory in wasm)',
                       async () => viaCpp('memory'));

// What StoreScenario (selftest_bindings.cc) must report for any conforming store.
const EXPECTED_SCENARIO = {
  put: 'ok',
  'put.size': '5',
  'putIfAbsent.existing': 'AlreadyExists',
  'putIfAbsent.new': 'ok',
  get: 'hello',
  getRange: 'ell',
  'getRange.tail': 'lo',
  'getRange.pastEnd': 'Invalid',
  head: 'ok',
  'head.size': '5',
  'head.versionMatchesPut': 'yes',
  cas: 'ok',
  'cas.newVersion': 'yes',
  'cas.stale': 'VersionMismatch',
  'cas.absent': 'NotFound',
  list: 'selftest/a/1,selftest/a/2',
  'list.startAfter': '1',
  delete: 'ok',
  'delete.again': 'ok',
  'get.deleted': 'NotFound',
  'head.deleted': 'NotFound',
  'invalid.get': 'Invalid',
  'invalid.put': 'Invalid',
  'invalid.delete': 'Invalid',
  chain: '300',
  race: '1/15/0',
};

describe('C++ coroutines driving stores (Task + AwaitCallback + Spawn)', () => {
  test('scenario over a JS MemoryStore through JsObjectStore', async () => {
    const store = new MemoryStore();
    const p = await viaCpp(store);
    assert.deepEqual(await storeSelfTest(p, 'selftest/'), EXPECTED_SCENARIO);
    assert.equal(store.size, 0);
    // Each Get the scenario makes reaches the JS store exactly once: 1 + 300 (chain) + 1
    // (after delete); the invalid key never gets there.
    assert.equal(store.counts.get, 302);
    assert.equal(store.counts.put, 22);
  });

  test('scenario over a NodeFsStore through JsObjectStore', async () => {
    const p = await viaCpp(await NodeFsStore.open(await tempDir()));
    assert.deepEqual(await storeSelfTest(p, 'selftest/'), EXPECTED_SCENARIO);
  });

  test('scenario over the C++ MemoryObjectStore', async () => {
    const p = await viaCpp('memory');
    assert.deepEqual(await storeSelfTest(p, 'selftest/'), EXPECTED_SCENARIO);
  });

  test('executor, clock and a million synchronously completed awaits', async () => {
    const r = await runtimeSelfTest();
    assert.equal(r['post.inline'], 'no');
    assert.equal(r['post.order'], '12');
    assert.equal(r['postAfter.waitedAtLeast30'], 'yes');
    assert.equal(r['post.nested'], 'ok');
    assert.equal(r['clock.sane'], 'yes');
    assert.equal(r.syncChain, 1000000);
    assert.equal(r.pendingCalls, 0);
  });
});

describe('JsObjectStore error mapping and misbehaving stores', () => {
  const base = () => ({
    get: async () => null,
    getRange: async () => null,
    head: async () => null,
    put: async (key, data) => ({ key, size: data.length, lastModified: 1, version: 'v' }),
    list: async () => [],
    delete: async () => undefined,
  });

  test('every documented .code maps to the same Status and back', async () => {
    for (const code of ['NotFound', 'AlreadyExists', 'VersionMismatch', 'Unavailable', 'Invalid', 'Data']) {
      const st = base();
      st.put = async () => { const e = new Error(`boom ${code}`); e.code = code; throw e; };
      const p = await viaCpp(st);
      await assert.rejects(p.put('k', new Uint8Array([1])), (e) => {
        assert.equal(e.code, code);
        assert.match(e.message, new RegExp(`boom ${code}`));
        return true;
      });
    }
  });

  test('unknown codes, plain errors, non-errors and synchronous throws become Unavailable', async () => {
    const cases = [
      async () => { const e = new Error('x'); e.code = 'ECONNRESET'; throw e; },
      async () => { throw new TypeError('plain'); },
      async () => { throw 'a string'; },  // eslint-disable-line no-throw-literal
      () => { throw new Error('sync throw'); },
      () => Promise.reject(undefined),
    ];
    for (const impl of cases) {
      const st = base();
      st.delete = impl;
      const p = await viaCpp(st);
      await assert.rejects(p.delete('k'), (e) => e.code === 'Unavailable');
    }
  });

  test('malformed results are Data errors; null from get/head is NotFound', async () => {
    const st = base();
    st.get = async () => 42;
    st.head = async () => ({ size: 'big' });
    st.list = async () => 'not an array';
    st.getRange = async () => new Uint8Array(10);  // more than asked
    const p = await viaCpp(st);
    await assert.rejects(p.get('k'), (e) => e.code === 'Data');
    await assert.rejects(p.head('k'), (e) => e.code === 'Data');
    await assert.rejects(p.list('', ''), (e) => e.code === 'Data');
    await assert.rejects(p.getRange('k', 0, 2), (e) => e.code === 'Data');
    const ok = await viaCpp(base());
    assert.equal(await ok.get('k'), null);
    assert.equal(await ok.head('k'), null);
  });

  test('synchronous (non-Promise) results and ArrayBuffers are accepted', async () => {
    const st = base();
    st.get = () => new Uint8Array([1, 2, 3]).buffer;
    st.head = () => ({ key: 'k', size: 3, lastModified: new Date(5), version: 7 });
    const p = await viaCpp(st);
    assert.deepEqual(await p.get('k'), new Uint8Array([1, 2, 3]));
    assert.deepEqual(await p.head('k'), { key: 'k', size: 3, lastModified: 5, version: '7' });
  });

  test('a completion never happens inside the call (always from the promise continuation)', async () => {
    const events = [];
    const st = base();
    st.get = () => { events.push('store.get'); return new Uint8Array([9]); };
    const p = await viaCpp(st);
    const pr = p.get('k');
    events.push('returned');
    await pr;
    events.push('resolved');
    assert.deepEqual(events, ['store.get', 'returned', 'resolved']);
  });

  test('the C++ side validates keys before JS sees them', async () => {
    let calls = 0;
    const st = base();
    st.get = async () => { calls++; return null; };
    const p = await viaCpp(st);
    await assert.rejects(p.get('../etc/passwd'), (e) => e.code === 'Invalid');
    assert.equal(calls, 0);
  });

  test('put passes mode and expectedVersion through', async () => {
    const seen = [];
    const st = base();
    st.put = async (key, data, opts) => {
      seen.push([key, Array.from(data), opts]);
      return { key, size: data.length, lastModified: 0, version: 'v2' };
    };
    const p = await viaCpp(st);
    await p.put('k', new Uint8Array([1]), { mode: 'overwrite' });
    await p.put('k', new Uint8Array([2]), { mode: 'createIfAbsent' });
    await p.put('k', new Uint8Array([3]), { mode: 'replaceIfVersionMatches', expectedVersion: 'v1' });
    assert.deepEqual(seen, [
      ['k', [1], { mode: 'overwrite' }],
      ['k', [2], { mode: 'createIfAbsent' }],
      ['k', [3], { mode: 'replaceIfVersionMatches', expectedVersion: 'v1' }],
    ]);
  });
});

describe('NodeFsStore specifics', () => {
  test('keys cannot escape the root through symlinked directories', async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(path.join(outside, 'secret'), 'top secret');
    await symlink(outside, path.join(root, 'link'));
    const st = await NodeFsStore.open(root);
    await assert.rejects(st.get('link/secret'), (e) => e.code === 'Invalid');
    await assert.rejects(st.put('link/new', new Uint8Array([1])), (e) => e.code === 'Invalid');
    assert.deepEqual(await readdir(outside), ['secret']);
  });

  test('.tmp and .lock are reserved and never listed', async () => {
    const root = await tempDir();
    const st = await NodeFsStore.open(root);
    await st.put('a', new Uint8Array([1]));
    await mkdir(path.join(root, '.tmp'), { recursive: true });
    await writeFile(path.join(root, '.tmp', 'junk'), 'x');
    await writeFile(path.join(root, '.lock'), '');
    await assert.rejects(st.put('.tmp/x', new Uint8Array([1])), (e) => e.code === 'Invalid');
    await assert.rejects(st.get('.lock'), (e) => e.code === 'Invalid');
    assert.deepEqual((await st.list('', '')).map((m) => m.key), ['a']);
  });

  test('two instances on one directory share create-if-absent atomically', async () => {
    const root = await tempDir();
    const [s1, s2] = await Promise.all([NodeFsStore.open(root), NodeFsStore.open(root)]);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? s1 : s2).put('m/1', new Uint8Array([i]), { mode: 'createIfAbsent' })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.deepEqual(await readdir(path.join(root, '.tmp')), []);
  });
});

after(() => { for (const p of proxies) p.free(); });
