// SPDX-License-Identifier: Apache-2.0
// Compiled (never run) by types.test.mjs with `tsc --noEmit`: the declarations cover the API
// as the docs use it, and reject misuse (the @ts-expect-error lines must be errors).
import SlateDBDefault, {
  ClosedError, InvalidError, MemoryStore, S3Store, SlateDB, SlateDBError, SlateDBReader, WriteBatch,
  type CacheTarget, type DbState, type ObjectStore, type PrefixExtractor, type WriteHandle,
} from '../../js/slatedb.mjs';
import { IndexedDbStore } from '../../js/indexeddb_store.mjs';
import { NodeFsStore } from '../../js/node_fs_store.mjs';
import { observeStore } from '../../js/observed_store.mjs';

export async function usage(): Promise<void> {
  const db: SlateDB = await SlateDB.open({
    store: new MemoryStore(),
    path: 'db',
    settings: { flushInterval: '100ms', compressionCodec: 'Zstd', defaultTtlMillis: null,
                compactorOptions: { pollInterval: '1s' } },
    mergeOperator: (key, existing, operand) => (existing ? 'x' : operand),
  });
  const h: WriteHandle = await db.put('k', new Uint8Array([1]), { awaitDurable: false, ttl: 1000 });
  const seq: number = h.seq;
  const v: Uint8Array | undefined = await db.get('k', { durabilityFilter: 'remote' });
  await db.write(new WriteBatch().put('a', '1').delete('b').merge('c', 'd'));
  await db.batch([['put', 'a', '1'], ['delete', 'b'], { type: 'put', key: 'x', value: 'y' }]);
  for await (const [key, value] of db.scan('a', 'z')) {
    const n: number = key.length + value.length;
  }
  for await (const [key] of db.scan('a', 'z', { order: 'descending', durabilityFilter: 'remote' })) {
    const n: number = key.length;
  }
  const it = db.scanPrefix('user/');
  await it.seek('user/5');
  it.close();
  const txn = await db.begin('ssi');
  await txn.put('a', 'b', { ttl: 10 });
  const got: Uint8Array | undefined = await txn.get('a');
  const committed: WriteHandle | undefined = await txn.commit({ awaitDurable: false });
  void [got, committed];
  // @ts-expect-error unknown isolation level
  await db.begin('read_committed');
  const snap = await db.snapshot();
  await snap.get('k');
  snap.close();
  await db.flush('memtable');
  const state: DbState = await db.state();
  const l0ids: string[] = state.manifest.l0.map((s) => s.id);
  const targets: CacheTarget[] = ['filters', { type: 'index' }, { type: 'data', range: { start: 'a', end: null, endInclusive: true } }];
  await db.warmSst(l0ids[0], targets);
  await db.evictCachedSst(l0ids[0]);
  await db.flushCacheToDisk();
  const m: Record<string, number> = await db.metrics();
  const cp = await db.createCheckpoint({ scope: 'durable', lifetime: 1000, name: 'n' });
  const cps: string[] = (await db.listCheckpoints()).map((c) => c.id);
  await db.refreshCheckpoint(cp.id, null);
  await db.deleteCheckpoint(cp.id);
  const pe3: PrefixExtractor = { name: 'pe3', prefixLen: (data) => (data.length >= 3 ? 3 : null) };
  const filtered = await SlateDB.open({
    store: 'memory',
    filterPolicies: [{ bitsPerKey: 10, wholeKeyFiltering: false, prefixExtractor: pe3 }, { bitsPerKey: 7 }],
    segmentExtractor: { name: () => 'seg', prefixLen: (data, isPoint) => (isPoint ? 1 : undefined) },
  });
  for await (const [k] of filtered.scan('abc', 'abd', { filterPrefix: 'abc' })) void k;
  // @ts-expect-error a prefix extractor needs prefixLen
  await SlateDB.open({ store: 'memory', segmentExtractor: { name: 'x' } });
  // @ts-expect-error filterPolicies is a list
  await SlateDB.open({ store: 'memory', filterPolicies: { bitsPerKey: 10 } });
  await filtered.close();
  const reader = await SlateDBReader.open({ store: 'memory', checkpointId: cp.id, filterPolicies: [] });
  for await (const [k] of reader.scanPrefix('a')) void k;
  await reader.refresh();
  await reader.warmSst(l0ids[0], ['data']);
  await reader.evictCachedSst(l0ids[0]);
  await reader.flushCacheToDisk();
  const rid: string | undefined = await reader.checkpointId();
  await reader.close();
  void [cps, rid];
  await db.close();
  try {
    await db.get('k');
  } catch (e) {
    if (e instanceof ClosedError) { const r: 'clean' | 'fenced' | 'backgroundError' = e.reason; }
    if (e instanceof SlateDBError) { const k: string = e.kind; }
    if (e instanceof InvalidError) { const k: 'invalid' = e.kind; }
  }
  const s3 = await S3Store.open({ endpoint: 'http://127.0.0.1:9000', bucket: 'b', onRequest: (r) => r.status });
  const custom: ObjectStore = {
    get: async () => null, getRange: async () => null, head: async () => null,
    put: async () => ({}), list: async () => [], delete: async () => {},
  };
  await SlateDBDefault.open({ store: observeStore(custom, (r) => r.op) });
  await SlateDB.open({ store: 'memory' });
  await SlateDB.open({ store: await NodeFsStore.open('/tmp/x') });
  await SlateDB.open({ store: await IndexedDbStore.open('x') });
  s3.close();
  void [seq, v, l0ids, m];

  // @ts-expect-error a number is not a key
  await db.put(1, 'v');
  // @ts-expect-error unknown flush type
  await db.flush('everything');
  // @ts-expect-error the store is required
  await SlateDB.open({ path: 'db' });
  // @ts-expect-error readers have no put
  await (await SlateDBReader.open({ store: 'memory' })).put('k', 'v');
  // @ts-expect-error a setting is plain data, not a function
  await SlateDB.open({ store: 'memory', settings: { flushInterval: () => 1 } });
}
