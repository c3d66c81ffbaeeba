// SPDX-License-Identifier: Apache-2.0
//
// The ObjectStore contract (core/include/slatedb/object_store.h) as a list of test cases,
// independent of any test runner so that the same cases run under node:test
// (store_conformance.mjs) and inside a browser (web-demo/tests/). `assert` is an object
// with node:assert/strict's equal, notEqual, deepEqual, ok and rejects.

const enc = new TextEncoder();
const dec = new TextDecoder();
const b = (s) => enc.encode(s);
const s = (u8) => dec.decode(u8);

export function conformanceCases(makeStore, traits = {}, assert) {
  const cases = [];
  const test = (name, fn) => cases.push([name, fn]);
  async function rejectsWith(promise, code, what) {
    await assert.rejects(promise, (e) => {
      assert.equal(e?.code, code, `${what}: expected ${code}, got ${e?.code} (${e?.message})`);
      return true;
    });
  }
  {
    test('put then get returns the bytes; head reports size and the put version', async () => {
      const st = await makeStore();
      const m = await st.put('a/b', b('hello'), { mode: 'overwrite' });
      assert.equal(m.key, 'a/b');
      assert.equal(m.size, 5);
      assert.equal(typeof m.version, 'string');
      assert.equal(s(await st.get('a/b')), 'hello');
      const h = await st.head('a/b');
      assert.equal(h.key, 'a/b');
      assert.equal(h.size, 5);
      assert.equal(h.version, m.version);
      assert.equal(typeof h.lastModified, 'number');
      assert.ok(h.lastModified > 0);
    });

    test('missing objects: get/getRange/head report NotFound (null)', async () => {
      const st = await makeStore();
      assert.equal(await st.get('nope'), null);
      assert.equal(await st.getRange('nope', 0, 10), null);
      assert.equal(await st.head('nope'), null);
      assert.equal(await st.get('deep/er/nope'), null);
    });

    test('put with no options overwrites', async () => {
      const st = await makeStore();
      await st.put('k', b('one'));
      await st.put('k', b('two'));
      assert.equal(s(await st.get('k')), 'two');
    });

    test('overwrite replaces and changes the version', async () => {
      const st = await makeStore();
      const m1 = await st.put('k', b('one'), { mode: 'overwrite' });
      const m2 = await st.put('k', b('second'), { mode: 'overwrite' });
      assert.notEqual(m1.version, m2.version);
      assert.equal(s(await st.get('k')), 'second');
      assert.equal((await st.head('k')).size, 6);
    });

    test('empty objects and every byte value round-trip', async () => {
      const st = await makeStore();
      await st.put('empty', new Uint8Array(0));
      assert.deepEqual(await st.get('empty'), new Uint8Array(0));
      assert.equal((await st.head('empty')).size, 0);
      const all = new Uint8Array(256 * 3);
      for (let i = 0; i < all.length; i++) all[i] = i % 256;
      await st.put('bin', all);
      assert.deepEqual(await st.get('bin'), all);
    });

    test('a 1 MiB object round-trips', async () => {
      const st = await makeStore();
      const big = new Uint8Array(1 << 20);
      for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
      await st.put('big/object', big);
      assert.deepEqual(await st.get('big/object'), big);
      assert.deepEqual(await st.getRange('big/object', 1000, 5000), big.subarray(1000, 6000));
    });

    test('createIfAbsent: first wins, second fails AlreadyExists and changes nothing', async () => {
      const st = await makeStore();
      const m = await st.put('lock', b('first'), { mode: 'createIfAbsent' });
      await rejectsWith(st.put('lock', b('second'), { mode: 'createIfAbsent' }), 'AlreadyExists',
                        'second createIfAbsent');
      assert.equal(s(await st.get('lock')), 'first');
      assert.equal((await st.head('lock')).version, m.version);
    });

    test('createIfAbsent is atomic under concurrency: exactly one of 16 wins', async () => {
      const st = await makeStore();
      const results = await Promise.allSettled(
        Array.from({ length: 16 }, (_, i) => st.put('race', b(`r${i}`), { mode: 'createIfAbsent' })));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      for (const r of lost) assert.equal(r.reason.code, 'AlreadyExists');
      const winner = results.indexOf(won[0]);
      assert.equal(s(await st.get('race')), `r${winner}`);
    });

    test('createIfAbsent after delete succeeds', async () => {
      const st = await makeStore();
      await st.put('x', b('1'), { mode: 'createIfAbsent' });
      await st.delete('x');
      await st.put('x', b('2'), { mode: 'createIfAbsent' });
      assert.equal(s(await st.get('x')), '2');
    });

    test('replaceIfVersionMatches: matching version replaces, stale fails, absent is NotFound', async () => {
      const st = await makeStore();
      const m1 = await st.put('m', b('v1'));
      const m2 = await st.put('m', b('v2!'), { mode: 'replaceIfVersionMatches', expectedVersion: m1.version });
      assert.notEqual(m2.version, m1.version);
      assert.equal(s(await st.get('m')), 'v2!');
      await rejectsWith(st.put('m', b('v3'), { mode: 'replaceIfVersionMatches', expectedVersion: m1.version }),
                        'VersionMismatch', 'stale version');
      assert.equal(s(await st.get('m')), 'v2!');
      await rejectsWith(st.put('absent', b('x'), { mode: 'replaceIfVersionMatches', expectedVersion: m1.version }),
                        'NotFound', 'absent key');
      assert.equal(await st.get('absent'), null);
    });

    test('getRange: inside, cut at the end, at the end, past the end', async () => {
      const st = await makeStore();
      await st.put('r', b('0123456789'));
      assert.equal(s(await st.getRange('r', 2, 3)), '234');
      assert.equal(s(await st.getRange('r', 0, 10)), '0123456789');
      assert.equal(s(await st.getRange('r', 7, 100)), '789');
      // Lengths reaching past 2^63: "to the end", also on servers that refuse such numbers.
      assert.equal(s(await st.getRange('r', 0, Infinity)), '0123456789');
      assert.equal(s(await st.getRange('r', 3, Number.MAX_SAFE_INTEGER)), '3456789');
      assert.equal((await st.getRange('r', 10, Infinity)).length, 0);
      assert.equal((await st.getRange('r', 10, 5)).length, 0);
      assert.equal((await st.getRange('r', 4, 0)).length, 0);
      await rejectsWith(st.getRange('r', 11, 1), 'Invalid', 'offset past the size');
    });

    test('list: prefix, ascending byte order, startAfter exclusive, metadata', async () => {
      const st = await makeStore();
      const keys = ['db/wal/0002', 'db/wal/0001', 'db/manifest/0001', 'db/wal/0010', 'other/x',
                    'db/walrus', 'dbx'];
      for (const k of keys) await st.put(k, b(k));
      const all = await st.list('', '');
      assert.deepEqual(all.map((m) => m.key), [...keys].sort());
      const wal = await st.list('db/wal/', '');
      assert.deepEqual(wal.map((m) => m.key), ['db/wal/0001', 'db/wal/0002', 'db/wal/0010']);
      for (const m of wal) {
        assert.equal(m.size, m.key.length);
        assert.equal(m.version, (await st.head(m.key)).version);
      }
      assert.deepEqual((await st.list('db/wal', '')).map((m) => m.key),
                       ['db/wal/0001', 'db/wal/0002', 'db/wal/0010', 'db/walrus']);
      assert.deepEqual((await st.list('db/wal/', 'db/wal/0001')).map((m) => m.key),
                       ['db/wal/0002', 'db/wal/0010']);
      assert.deepEqual((await st.list('db/wal/', 'db/wal/0005')).map((m) => m.key), ['db/wal/0010']);
      assert.deepEqual((await st.list('db/wal/', 'db/wal/9')).map((m) => m.key), []);
      assert.deepEqual((await st.list('db/', '')).map((m) => m.key),
                       ['db/manifest/0001', 'db/wal/0001', 'db/wal/0002', 'db/wal/0010', 'db/walrus']);
      assert.deepEqual(await st.list('nothing/', ''), []);
    });

    test('list: startAfter below the prefix, and many objects', async () => {
      const st = await makeStore();
      const keys = [];
      for (let i = 0; i < 150; i++) keys.push(`p/${String(i).padStart(4, '0')}`);
      await Promise.all(keys.map((k) => st.put(k, b('x'))));
      const listed = await st.list('p/', 'a');
      assert.deepEqual(listed.map((m) => m.key), keys);
      const tail = await st.list('p/', 'p/0099');
      assert.equal(tail.length, 50);
      assert.equal(tail[0].key, 'p/0100');
    });

    test('list orders keys by bytes, not by UTF-16 units', async () => {
      const st = await makeStore();
      const keys = ['u/\u{1F600}', 'u/\uFFFD', 'u/z', 'u/A'];  // U+1F600 sorts last in UTF-8
      for (const k of keys) await st.put(k, b('x'));
      assert.deepEqual((await st.list('u/', '')).map((m) => m.key),
                       ['u/A', 'u/z', 'u/\uFFFD', 'u/\u{1F600}']);
    });

    test('delete is idempotent and hides the object', async () => {
      const st = await makeStore();
      await st.put('d/1', b('x'));
      await st.put('d/2', b('y'));
      await st.delete('d/1');
      await st.delete('d/1');
      await st.delete('never/existed');
      assert.equal(await st.get('d/1'), null);
      assert.equal(await st.head('d/1'), null);
      assert.deepEqual((await st.list('d/', '')).map((m) => m.key), ['d/2']);
    });

    test('invalid keys fail with Invalid', async () => {
      const st = await makeStore();
      const bad = ['', '/abs', 'a//b', 'a/./b', 'a/../b', '..', '.', 'a/', 'a\\b', 'nul\0x'];
      for (const k of bad) {
        await rejectsWith(st.put(k, b('x')), 'Invalid', `put ${JSON.stringify(k)}`);
        await rejectsWith(st.head(k), 'Invalid', `head ${JSON.stringify(k)}`);
        await rejectsWith(st.get(k), 'Invalid', `get ${JSON.stringify(k)}`);
        await rejectsWith(st.delete(k), 'Invalid', `delete ${JSON.stringify(k)}`);
      }
      await rejectsWith(st.put('x'.repeat(1025), b('x')), 'Invalid', 'put of a 1025-byte key');
      assert.deepEqual(await st.list('', ''), []);
    });

    test('a successful put is fully visible to the next get (no partial objects)', async () => {
      const st = await makeStore();
      const sizes = [1, 1000, 100000, 7];
      for (const n of sizes) {
        const data = new Uint8Array(n).fill(n % 251);
        await st.put('vis', data);
        assert.deepEqual(await st.get('vis'), data);
      }
    });

    test('results are copies: mutating them does not change the store', async () => {
      const st = await makeStore();
      const data = b('abc');
      await st.put('c', data);
      data[0] = 0x7a;
      const got = await st.get('c');
      assert.equal(s(got), 'abc');
      got[0] = 0x7a;
      assert.equal(s(await st.get('c')), 'abc');
    });

    if (!traits.fileSystem) {
      test('a key may be a prefix of another', async () => {
        const st = await makeStore();
        await st.put('a', b('1'));
        await st.put('a/b', b('2'));
        assert.equal(s(await st.get('a')), '1');
        assert.equal(s(await st.get('a/b')), '2');
        assert.deepEqual((await st.list('a', '')).map((m) => m.key), ['a', 'a/b']);
      });
    }
  }
  return cases;
}
