// SPDX-License-Identifier: Apache-2.0
//
// WalReader: change data capture from a database's WAL objects, read straight from the
// store without opening the database (it never fences the writer, takes no checkpoint and
// writes nothing). Over the core's WalReader (core/include/slatedb/wal_reader.h).
import { checkStore, encoder, makeStoreHandle } from './args.mjs';
import { ClosedError, InvalidError } from './errors.mjs';
import { describeAs, hidden, quote } from './inspect.mjs';
import { call, loadModule } from './module.mjs';

const walReaderRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_wal_reader_free(h)) : null;
const walIteratorRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_wal_iterator_free(h)) : null;

const DEFAULT_POLL_MS = 100;

function unhex(s) {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
  return out;
}

function walId(value, what) {
  if (typeof value === 'bigint') value = Number(value);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidError(`${what} must be a non-negative integer`);
  }
  return value;
}

function decodeFile(M) {
  return (ptr, len) => {
    const file = JSON.parse(M.slatedbRt.utf8(ptr, len));
    if (file === null) return null;
    return {
      id: file.id,
      rows: file.rows.map((r) => ({
        kind: r.kind,
        key: unhex(r.key),
        value: r.value === null ? undefined : unhex(r.value),
        seq: BigInt(r.seq),
        createTs: r.create_ts ?? undefined,
        expireTs: r.expire_ts ?? undefined,
      })),
    };
  };
}

/**
 * Reads the WAL objects (`<path>/wal/<id>.sst`) of the database at `path`, in id order.
 * Each object is one WAL flush of the writer: whole write batches. Objects a writer plants
 * when it opens hold no rows. Objects GC removed before they were read are skipped.
 */
export class WalReader {
  /**
   * @param {object} options {store, path, walStore (the WAL's own store, if the database keeps
   *   it apart), module}
   */
  static async open(options = {}) {
    if (options == null || typeof options !== 'object') throw new InvalidError('WalReader.open needs {store, path}');
    const { store, path = '', walStore } = options;
    if (typeof path !== 'string') throw new InvalidError('path must be a string');
    if (store !== 'memory') checkStore(store);
    if (walStore != null && walStore !== 'memory') checkStore(walStore);
    const M = await loadModule(options.module);
    const storeHandle = makeStoreHandle(M, store);
    const walHandle = walStore != null ? makeStoreHandle(M, walStore) : 0;
    try {
      const h = await call(M, (ptr, len, num) => num, (id) =>
        M.slatedbRt.withBytes([encoder.encode(path)], (pp, pl) =>
          M._slatedb_wal_reader_open(storeHandle, walHandle, pp, pl, id)));
      const reader = new WalReader(M, h);
      reader.path = path;
      return reader;
    } finally {
      M._slatedb_store_free(storeHandle);
      if (walHandle) M._slatedb_store_free(walHandle);
    }
  }

  constructor(M, h) {
    hidden(this, '_M', M);
    this._h = h;
    walReaderRegistry?.register(this, { M, h }, this);
  }

  _handle() {
    if (!this._h) throw new ClosedError('WAL reader was closed', 'clean');
    return this._h;
  }

  /**
   * The id of the newest WAL object after `after` (default 0), or `after` itself when there
   * is none. Rejects with DataError if the database has no manifest.
   */
  async lastWalFileId(after = 0) {
    const a = walId(after, 'after');
    const M = this._M;
    return call(M, (ptr, len, num) => num, (id) => M._slatedb_wal_reader_last_id(this._handle(), a, id));
  }

  /**
   * An async iterator of WAL files from id `start` (default 1) on: {id, rows: [{kind
   * ('value'|'tombstone'|'merge'), key, value (undefined for tombstones; the raw operand for
   * merges), seq (bigint), createTs, expireTs}]}. At the newest object it waits for the writer
   * to add one, polling every `pollIntervalMs` (default 100); `signal` (an AbortSignal) ends
   * the wait.
   */
  files({ start = 1, pollIntervalMs = DEFAULT_POLL_MS, signal } = {}) {
    const s = walId(start, 'start');
    if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) {
      throw new InvalidError('pollIntervalMs must be a positive number');
    }
    return new WalFileIterator(this, s, pollIntervalMs, signal);
  }

  /** Releases the native reader; iterators made from it stop. Idempotent. */
  close() {
    if (!this._h) return;
    walReaderRegistry?.unregister(this);
    this._M._slatedb_wal_reader_free(this._h);
    this._h = 0;
  }
}

class WalFileIterator {
  constructor(reader, start, pollMs, signal) {
    const M = reader._M;
    hidden(this, '_M', M);
    hidden(this, '_reader', reader);
    hidden(this, '_pollMs', pollMs);
    hidden(this, '_signal', signal);
    hidden(this, '_queue', Promise.resolve());
    this._h = M._slatedb_wal_iterator_new(reader._handle(), start);
    walIteratorRegistry?.register(this, { M, h: this._h }, this);
  }

  /** The next file, or null when none exists yet (never waits). */
  tryNext() {
    // Calls are chained: the native iterator takes one at a time.
    const next = this._queue.then(() => {
      if (!this._h) throw new ClosedError('WAL iterator was closed', 'clean');
      this._reader._handle();
      const M = this._M;
      return call(M, decodeFile(M), (id) => M._slatedb_wal_iterator_try_next(this._h, id));
    });
    this._queue = next.catch(() => {});
    return next;
  }

  async next() {
    for (;;) {
      if (this._signal?.aborted) return { done: true, value: undefined };
      const file = await this.tryNext();
      if (file !== null) return { done: false, value: file };
      if (this._signal?.aborted) return { done: true, value: undefined };
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, this._pollMs);
        this._signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
    }
  }

  async return() {
    this.close();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator]() { return this; }

  close() {
    if (!this._h) return;
    walIteratorRegistry?.unregister(this);
    this._M._slatedb_wal_iterator_free(this._h);
    this._h = 0;
  }
}

describeAs(WalReader, function () {
  return `WalReader { path: ${quote(this.path)}${this._h ? '' : ', closed'} }`;
});
