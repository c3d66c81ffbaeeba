// SPDX-License-Identifier: Apache-2.0
//
// The worker half of SlateDBWorker (worker.mjs): loaded as a dedicated module worker, it
// opens the database inside the worker and answers the page's calls, so the engine's work
// (compression, checksums, merges, compaction) never runs on the page's main thread.
//
// Protocol (one message per call, answered once):
//   page -> worker  {id, ref, method, args}   ref 0 with method 'open' opens the database
//   worker -> page  {id, ok: true, value}     value may be {$ref, kind} for a new object
//                   {id, ok: false, error: {name, kind, reason, code, message}}
// Objects the page holds (the database, snapshots, transactions, iterators) live in a table
// here, keyed by ref; only the methods listed in METHODS can be called on them.
import { IndexedDbStore } from './indexeddb_store.mjs';
import { MemoryStore, S3Store, SlateDB, WriteBatch } from './slatedb.mjs';

// Per kind: the callable methods, and which of them return a new object (of what kind).
const METHODS = {
  db: {
    calls: ['put', 'get', 'delete', 'merge', 'write', 'batch', 'flush', 'close', 'status', 'state',
            'metrics', 'createCheckpoint', 'listCheckpoints', 'refreshCheckpoint',
            'deleteCheckpoint'],
    objects: { scan: 'iterator', scanPrefix: 'iterator', snapshot: 'snapshot', begin: 'transaction' },
    releasedBy: ['close'],
  },
  snapshot: {
    calls: ['get', 'close'],
    objects: { scan: 'iterator', scanPrefix: 'iterator' },
    releasedBy: ['close'],
  },
  transaction: {
    calls: ['get', 'put', 'delete', 'merge', 'markRead', 'unmarkWrite', 'commit', 'rollback'],
    objects: { scan: 'iterator', scanPrefix: 'iterator' },
    releasedBy: ['commit', 'rollback'],
  },
  iterator: { calls: ['nextBatch', 'seek', 'close'], objects: {}, releasedBy: ['close'] },
};

const objects = new Map();  // ref -> {kind, target}
let nextRef = 1;

function register(kind, target) {
  const ref = nextRef++;
  objects.set(ref, { kind, target });
  return { $ref: ref, kind };
}

// The store named by the page's `store` option (functions cannot cross to a worker).
async function openStore(spec) {
  if (spec === 'memory' || spec == null) return 'memory';
  switch (spec.type) {
    case 'memory': return new MemoryStore();
    case 'indexeddb': return IndexedDbStore.open(spec.name ?? 'slatedb');
    case 's3': {
      const { type, ...options } = spec;
      return S3Store.open(options);
    }
    default:
      throw Object.assign(new Error(`unknown store type ${JSON.stringify(spec.type)} ` +
                                    "(use 'memory', {type: 'memory' | 'indexeddb' | 's3', ...})"),
                          { kind: 'invalid', name: 'InvalidError' });
  }
}

// Arguments arrive as structured clones; a WriteBatch arrives as its operations.
function reviveArgs(args) {
  return args.map((a) => {
    if (a && typeof a === 'object' && Array.isArray(a.$writeBatch)) {
      const batch = new WriteBatch();
      batch._ops = a.$writeBatch;
      return batch;
    }
    return a;
  });
}

// Results that are byte views of shared pools (see docs/wasm.md) are copied out compactly
// and transferred, so a message carries only its own bytes.
function detach(value, transfer) {
  if (value instanceof Uint8Array) {
    const copy = value.slice();
    transfer.push(copy.buffer);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => detach(v, transfer));
  return value;
}

async function handle({ ref, method, args }) {
  if (ref === 0 && method === 'open') {
    const { store, path, settings, module } = args[0] ?? {};
    const db = await SlateDB.open({ store: await openStore(store), path, settings, module });
    return register('db', db);
  }
  const entry = objects.get(ref);
  if (!entry) {
    throw Object.assign(new Error('this handle was closed'), { kind: 'closed', name: 'ClosedError', reason: 'clean' });
  }
  const spec = METHODS[entry.kind];
  const revived = reviveArgs(args);
  if (Object.hasOwn(spec.objects, method)) {
    return register(spec.objects[method], await entry.target[method](...revived));
  }
  if (!spec.calls.includes(method)) {
    throw Object.assign(new Error(`${entry.kind}.${method} cannot be called through a worker`),
                        { kind: 'invalid', name: 'InvalidError' });
  }
  try {
    return await entry.target[method](...revived);
  } finally {
    if (spec.releasedBy.includes(method)) objects.delete(ref);
  }
}

function errorFields(e) {
  return {
    name: e?.name ?? 'Error',
    kind: e?.kind,
    reason: e?.reason,
    code: e?.code,
    message: e?.message ?? String(e),
  };
}

self.onmessage = async (event) => {
  const { id } = event.data;
  try {
    const transfer = [];
    const value = detach(await handle(event.data), transfer);
    self.postMessage({ id, ok: true, value }, transfer);
  } catch (e) {
    self.postMessage({ id, ok: false, error: errorFields(e) });
  }
};
