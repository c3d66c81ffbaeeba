// SPDX-License-Identifier: Apache-2.0
// Compiled (never run) by types.test.mjs with `tsc --noEmit`: SlateDBWorker's declarations
// give the page SlateDB's API, with stores described rather than passed.
import { SlateDBWorker, WriteBatch, type WorkerIterator } from '../../js/worker.mjs';

export async function workerUsage(): Promise<void> {
  const db: SlateDBWorker = await SlateDBWorker.open({
    store: { type: 'indexeddb', name: 'app' },
    path: 'db',
    module: { wasmUrl: '/assets/slatedb_wasm.wasm' },
  });
  await db.put('k', 'v', { awaitDurable: false });
  const v: Uint8Array | undefined = await db.get('k');
  await db.write(new WriteBatch().put('a', '1').delete('b'));
  const it: WorkerIterator = db.scanPrefix('k');
  for await (const [key, value] of it) void [key.byteLength, value.byteLength];
  const txn = await db.begin('ssi');
  await txn.put('x', 'y');
  await txn.commit();
  const snap = await db.snapshot();
  snap.close();
  await db.close();
  void v;
  await SlateDBWorker.open({ store: { type: 's3', bucket: 'b', region: 'us-east-1' }, workerUrl: '/w.js' });

  // @ts-expect-error a store object cannot be sent to a worker
  await SlateDBWorker.open({ store: { get: () => null } });
  // @ts-expect-error no mergeOperator option
  await SlateDBWorker.open({ store: 'memory', mergeOperator: () => 'x' });
}
