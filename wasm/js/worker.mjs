// SPDX-License-Identifier: Apache-2.0
//
// SlateDBWorker: the database runs in a dedicated worker (worker_main.mjs) and the page
// calls it with SlateDB's API: the same methods, arguments, results and error classes, every
// call a message to the worker. The page's main thread then never runs the engine.
//
//   import { SlateDBWorker } from 'slatedb-wasm/worker';
//   const db = await SlateDBWorker.open({ store: { type: 'indexeddb', name: 'app' }, path: 'db' });
//   await db.put('k', 'v');
//   for await (const [k, v] of db.scan()) { ... }
//   await db.close();                    // also ends the worker it started
//
// Differences from SlateDB, all because functions cannot be sent to a worker: `store` is
// 'memory' or a description ({type: 'memory'}, {type: 'indexeddb', name},
// {type: 's3', ...S3Store.open options}), and there is no mergeOperator option (nor prefix
// extractors: filterPolicies may only be plain whole-key policies).
import {
  ClosedError, DataError, InternalError, InvalidError, SlateDBError, TransactionError, UnavailableError,
} from './errors.mjs';
import { WriteBatch } from './write_batch.mjs';

export { WriteBatch } from './write_batch.mjs';

const ERROR_CLASSES = {
  transaction: TransactionError, unavailable: UnavailableError, invalid: InvalidError,
  data: DataError, internal: InternalError,
};

function reviveError(fields) {
  let error;
  if (fields.kind === 'closed') error = new ClosedError(fields.message, fields.reason ?? 'clean');
  else if (ERROR_CLASSES[fields.kind]) error = new ERROR_CLASSES[fields.kind](fields.message);
  else error = new Error(fields.message);
  if (fields.code !== undefined) error.code = fields.code;
  return error;
}

// One worker, its pending calls, and the refs of the objects it holds for us.
class Connection {
  constructor(worker, owned) {
    this.worker = worker;
    this.owned = owned;
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null;
    worker.addEventListener('message', (event) => this._settle(event.data));
    worker.addEventListener('error', (event) => {
      // A worker that fails to load or throws outside a call fails everything pending.
      this._failAll(new InternalError(`SlateDB worker failed: ${event.message ?? 'error'}`));
      event.preventDefault?.();
    });
  }

  call(ref, method, args = []) {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ id, ref, method, args: args.map(prepareArg) });
      } catch (e) {
        this.pending.delete(id);
        reject(new InvalidError(`cannot send ${method}'s arguments to the worker: ${e.message}`));
      }
    });
  }

  _settle({ id, ok, value, error }) {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (ok) p.resolve(value);
    else p.reject(reviveError(error));
  }

  _failAll(error) {
    this.failure = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  terminate() {
    if (this.owned) this.worker.terminate();
    this._failAll(new ClosedError('the SlateDB worker was terminated'));
  }
}

// A WriteBatch travels as its operations (a class instance loses its prototype in a clone).
function prepareArg(a) {
  return a instanceof WriteBatch ? { $writeBatch: a._ops } : a;
}

// An object held by the worker: calls go to it by ref (a Promise until the worker answers).
class Remote {
  constructor(conn, refPromise) {
    this._conn = conn;
    this._ref = refPromise;
    // A failed open/scan surfaces from the first call, never as an unhandled rejection.
    refPromise.catch(() => {});
  }
  async _call(method, ...args) {
    const { $ref } = await this._ref;
    return this._conn.call($ref, method, args);
  }
  _child(Kind, method, args) {
    return new Kind(this._conn, this._ref.then(({ $ref }) => this._conn.call($ref, method, args)));
  }
}

/** An iterator in the worker: `for await`, next(), nextBatch(), seek(key), close(). */
export class WorkerIterator extends Remote {
  constructor(conn, refPromise) {
    super(conn, refPromise);
    this._buffer = [];
    this._done = false;
    this._chain = Promise.resolve();
  }
  // Calls on one iterator run in order, whatever the caller awaits.
  _serial(fn) {
    const run = this._chain.then(fn);
    this._chain = run.catch(() => {});
    return run;
  }
  async _fill() {
    if (this._buffer.length || this._done) return;
    const batch = await this._call('nextBatch');
    if (batch.length === 0) {
      this._done = true;
      await this._call('close').catch(() => {});
    } else {
      this._buffer = batch;
    }
  }
  next() {
    return this._serial(async () => {
      await this._fill();
      if (this._buffer.length === 0) return { value: undefined, done: true };
      return { value: this._buffer.shift(), done: false };
    });
  }
  nextBatch() {
    return this._serial(async () => {
      await this._fill();
      const out = this._buffer;
      this._buffer = [];
      return out;
    });
  }
  seek(key) {
    return this._serial(async () => {
      // The worker's iterator has read ahead by what is buffered here; seek it from there.
      this._buffer = [];
      if (this._done) throw new InvalidError('seek after the end of the scan');
      await this._call('seek', key);
    });
  }
  close() {
    this._buffer = [];
    if (this._done) return;
    this._done = true;
    this._serial(() => this._call('close')).catch(() => {});
  }
  async return(value) {
    this.close();
    return { value, done: true };
  }
  [Symbol.asyncIterator]() { return this; }
}

function scanMethods(Cls) {
  Cls.prototype.scan = function scan(...args) { return this._child(WorkerIterator, 'scan', args); };
  Cls.prototype.scanPrefix = function scanPrefix(...args) { return this._child(WorkerIterator, 'scanPrefix', args); };
}

/** A snapshot in the worker: get, scan, scanPrefix, close. */
export class WorkerSnapshot extends Remote {
  get(key, options) { return this._call('get', key, options); }
  close() { this._call('close').catch(() => {}); }
}
scanMethods(WorkerSnapshot);

/** A transaction in the worker: SlateDB's Transaction API. */
export class WorkerTransaction extends Remote {
  get(key, options) { return this._call('get', key, options); }
  put(key, value, options) { return this._call('put', key, value, options); }
  delete(key) { return this._call('delete', key); }
  merge(key, operand, options) { return this._call('merge', key, operand, options); }
  markRead(key) { return this._call('markRead', key); }
  unmarkWrite(key) { return this._call('unmarkWrite', key); }
  commit(options) { return this._call('commit', options); }
  rollback() { this._call('rollback').catch(() => {}); }
}
scanMethods(WorkerTransaction);

/** A database running in a dedicated worker, with SlateDB's API. */
export class SlateDBWorker extends Remote {
  /**
   * Starts a worker (or uses `options.worker`) and opens the database in it.
   * @param {object} options  store ('memory' | {type: 'memory' | 'indexeddb' | 's3', ...}),
   *   path, settings, module (loadModule options: wasmUrl as a string), and either
   *   worker (a Worker running slatedb-wasm/worker_main; yours to terminate) or workerUrl
   *   (where worker_main.mjs is served; default: next to this file).
   */
  static async open(options = {}) {
    const { worker, workerUrl, ...rest } = options;
    if (rest.mergeOperator != null) {
      throw new InvalidError('mergeOperator cannot be sent to a worker; use SlateDB in the worker itself');
    }
    const policies = rest.filterPolicies ?? rest.filter_policies;
    if ((rest.segmentExtractor ?? rest.segment_extractor) != null ||
        (Array.isArray(policies) && policies.some((p) => (p?.prefixExtractor ?? p?.prefix_extractor) != null))) {
      throw new InvalidError('prefix extractors cannot be sent to a worker; use SlateDB in the worker itself');
    }
    let conn;
    if (worker) {
      conn = new Connection(worker, false);
    } else if (workerUrl != null) {
      conn = new Connection(new Worker(workerUrl, { type: 'module' }), true);
    } else {
      // Written out in full so that bundlers (Vite, webpack) bundle the worker and rewrite its URL.
      conn = new Connection(new Worker(new URL('./worker_main.mjs', import.meta.url), { type: 'module' }), true);
    }
    if (rest.module?.wasmUrl != null) rest.module = { ...rest.module, wasmUrl: String(rest.module.wasmUrl) };
    const db = new SlateDBWorker(conn, conn.call(0, 'open', [rest]));
    try {
      await db._ref;
    } catch (e) {
      conn.terminate();
      throw e;
    }
    return db;
  }

  put(key, value, options) { return this._call('put', key, value, options); }
  get(key, options) { return this._call('get', key, options); }
  delete(key, options) { return this._call('delete', key, options); }
  merge(key, operand, options) { return this._call('merge', key, operand, options); }
  write(batch, options) { return this._call('write', batch, options); }
  batch(ops, options) { return this._call('batch', ops, options); }
  async snapshot() {
    const s = this._child(WorkerSnapshot, 'snapshot', []);
    await s._ref;
    return s;
  }
  async begin(isolation) {
    const t = this._child(WorkerTransaction, 'begin', [isolation]);
    await t._ref;
    return t;
  }
  flush(type) { return this._call('flush', type); }
  status() { return this._call('status'); }
  state() { return this._call('state'); }
  metrics() { return this._call('metrics'); }
  createCheckpoint(options) { return this._call('createCheckpoint', options); }
  listCheckpoints() { return this._call('listCheckpoints'); }
  refreshCheckpoint(id, lifetime) { return this._call('refreshCheckpoint', id, lifetime); }
  deleteCheckpoint(id) { return this._call('deleteCheckpoint', id); }
  /** Closes the database (flushing it), then ends the worker if this object started it. */
  async close() {
    try {
      await this._call('close');
    } finally {
      this._conn.terminate();
    }
  }
}
scanMethods(SlateDBWorker);

export { SlateDBError };
