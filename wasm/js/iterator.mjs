// SPDX-License-Identifier: Apache-2.0
//
// DbIterator: the async iterator behind every scan (SlateDB, Snapshot, Transaction,
// SlateDBReader), fetching entries from the engine in batches, and the scan helpers.
import { bytes, compareBytes, keyBytes, scanOptionsOf } from './args.mjs';
import { InvalidError } from './errors.mjs';
import { describeAs } from './inspect.mjs';
import { call } from './module.mjs';

export const iterRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_iter_free(h)) : null;

// --- iterator ------------------------------------------------------------------------------------

export const BATCH_ENTRIES = 256;
export const BATCH_BYTES = 1 << 20;

/**
 * The result of db.scan(): an async iterator of [key, value] (Uint8Array) pairs in ascending
 * key order (descending with {order: 'descending'}) over a fixed view of the database.
 * Fetches entries from the engine in batches.
 */
export class DbIterator {
  // `db` is the SlateDB (or Snapshot/Transaction) whose module runs the scan;
  // `openScan(id, startPtr, startLen, endPtr, endLen, durability, dirty, order,
  // filterPrefixPtr, filterPrefixLen, hasFilterPrefix)` calls the export that creates the
  // engine iterator.
  constructor(db, start, end, readOpts, openScan) {
    this._db = db;
    this._openScan = openScan;
    this._start = start;
    this._end = end;
    this._readOpts = readOpts;
    this._h = 0;
    this._opening = null;  // the Promise of the engine iterator's handle
    this._buf = [];
    this._pos = 0;
    this._exhausted = false;
    this._closed = false;
    this._last = null;  // last key handed out
    this._chain = Promise.resolve();
    this._pending = 0;  // next()/seek() calls queued in _chain and not finished
    this._startOpen();
  }

  [Symbol.asyncIterator]() { return this; }

  // Serialises next()/seek() so a caller firing several without awaiting stays ordered.
  _serial(fn) {
    this._pending++;
    const p = this._chain.then(fn).finally(() => { this._pending--; });
    this._chain = p.catch(() => {});
    return p;
  }

  // Creates the engine iterator now, so the scan sees the database (or the transaction's
  // buffered writes) as of the scan() call, not as of the first next().
  _startOpen() {
    const M = this._db._M;
    const [durability, dirty, order, fp] = this._readOpts;
    this._opening = call(M, (ptr, len, num) => num, (id) => (fp === null
      ? M.slatedbRt.withBytes([this._start, this._end], (sp, sl, ep, el) =>
        this._openScan(id, sp, sl, ep, el, durability, dirty, order, 0, 0, 0))
      : M.slatedbRt.withBytes([this._start, this._end, fp], (sp, sl, ep, el, fpp, fpl) =>
        this._openScan(id, sp, sl, ep, el, durability, dirty, order, fpp, fpl, 1))));
    // Never an unhandled rejection: the error surfaces from the first next()/seek().
    this._opening.then((h) => {
      if (this._closed) {  // closed before the engine answered
        M._slatedb_iter_free(h);
        return;
      }
      this._h = h;
      iterRegistry?.register(this, { M, h }, this);
    }, () => {});
  }

  async _open() {
    if (this._h) return;
    await this._opening;
  }

  async _fill() {
    const M = this._db._M;
    const [entries, exhausted] = await call(M, (ptr, len, num) => {
      // One copy of the whole batch; each key and value is a view of it (a fresh
      // ArrayBuffer per entry costs about 1 µs in V8, several times the engine's work).
      // Keeping one entry keeps its batch's bytes (up to BATCH_ENTRIES entries) alive.
      const batch = M.HEAPU8.slice(ptr, ptr + len);
      const dv = new DataView(batch.buffer);
      const out = [];
      let at = 0;
      while (at < len) {
        const kl = dv.getUint32(at, true); at += 4;
        const k = batch.subarray(at, at + kl); at += kl;
        const vl = dv.getUint32(at, true); at += 4;
        const v = batch.subarray(at, at + vl); at += vl;
        out.push([k, v]);
      }
      return [out, num === 1];
    }, (id) => M._slatedb_iter_next(this._h, BATCH_ENTRIES, BATCH_BYTES, id));
    this._buf = entries;
    this._pos = 0;
    this._exhausted = exhausted;
  }

  /** The next [key, value], as the async iterator protocol: {value, done}. */
  next() {
    // Fast path: an entry already fetched and nothing queued before this call.
    if (this._pending === 0 && this._pos < this._buf.length && !this._closed) {
      const entry = this._buf[this._pos++];
      this._last = entry[0];
      return Promise.resolve({ value: entry, done: false });
    }
    return this._serial(async () => {
      if (this._closed) return { value: undefined, done: true };
      await this._open();
      while (this._pos >= this._buf.length) {
        if (this._exhausted || this._closed) {
          this._release();
          return { value: undefined, done: true };
        }
        await this._fill();
      }
      const entry = this._buf[this._pos++];
      this._last = entry[0];
      return { value: entry, done: false };
    });
  }

  /**
   * The next entries as an array of [key, value] (what is already fetched, or one batch
   * from the engine, at most BATCH_ENTRIES); an empty array once the range is exhausted.
   * The same entries `next()` would return one by one, without a Promise per entry; the
   * two may be mixed.
   */
  nextBatch() {
    if (this._pending === 0 && this._pos < this._buf.length && !this._closed) {
      return Promise.resolve(this._take());
    }
    return this._serial(async () => {
      if (this._closed) return [];
      await this._open();
      while (this._pos >= this._buf.length) {
        if (this._exhausted || this._closed) {
          this._release();
          return [];
        }
        await this._fill();
      }
      return this._take();
    });
  }

  // Hands out every fetched entry not yet returned.
  _take() {
    const out = this._pos === 0 ? this._buf : this._buf.slice(this._pos);
    this._last = out[out.length - 1][0];
    this._buf = [];
    this._pos = 0;
    return out;
  }

  /**
   * Moves forward so the next entry is the first with key >= `key`. InvalidError if `key`
   * is not after the last key returned or lies outside the scan's range.
   */
  seek(key) {
    let k;
    try {
      k = keyBytes(key);
    } catch (e) {
      return Promise.reject(e);
    }
    return this._serial(async () => {
      if (this._closed) throw new InvalidError('iterator is closed');
      // As upstream (and the engine): descending iterators cannot seek.
      if (this._readOpts[2] === 1) throw new InvalidError('seek is not supported for descending scans');
      await this._open();
      // Entries already fetched but not handed out: skip within them when possible (the
      // engine's iterator is already past them).
      if (this._last !== null && compareBytes(k, this._last) <= 0) {
        throw new InvalidError('seek key must be after the last key returned');
      }
      if (compareBytes(k, this._start) < 0 ||
          (this._end.length > 0 && compareBytes(k, this._end) >= 0)) {
        throw new InvalidError('seek key outside the scan range');
      }
      while (this._pos < this._buf.length && compareBytes(this._buf[this._pos][0], k) < 0) {
        this._pos++;
      }
      if (this._pos < this._buf.length || this._exhausted) return;
      const M = this._db._M;
      await call(M, null, (id) =>
        M.slatedbRt.withBytes([k], (p, n) => M._slatedb_iter_seek(this._h, p, n, id)));
    });
  }

  /** Releases the engine iterator (also done at the end and by `break` in for-await). */
  async return(value) {
    this.close();
    return { value, done: true };
  }

  close() {
    this._closed = true;
    this._buf = [];
    this._pos = 0;
    this._release();
  }

  _release() {
    if (this._h) {
      iterRegistry?.unregister(this);
      this._db._M._slatedb_iter_free(this._h);
      this._h = 0;
    }
  }
}

// --- scans shared by SlateDB, Snapshot and Transaction ---------------------------------------------

export function makeScan(owner, start, end, options, openScan) {
  const s = start === undefined || start === null ? new Uint8Array([0]) : bytes(start, 'start');
  const e = end === undefined || end === null ? new Uint8Array(0) : bytes(end, 'end');
  const readOpts = scanOptionsOf(options);
  owner._handle();  // throws ClosedError on a released handle
  return new DbIterator(owner, s.length === 0 ? new Uint8Array([0]) : s, e, readOpts, openScan);
}

// [prefix, successor of prefix); an empty prefix is the whole keyspace. The successor is
// the core's rule (slatedb/key_range.h), shared with Python and C++. `M`: the module.
export function prefixRange(M, prefix) {
  const p = bytes(prefix ?? '', 'prefix');
  const rt = M.slatedbRt;
  const end = rt.callSync((ptr, len, num) => (num === 1 ? M.HEAPU8.slice(ptr, ptr + len) : new Uint8Array(0)),
    null, (id) => rt.withBytes([p], (pp, pl) => M._slatedb_prefix_successor(pp, pl, id)));
  return [p.length ? p : undefined, end];
}

// scanPrefix of every handle: the scan of prefixRange(prefix) whose filterPrefix is the
// prefix (as Python's scan_prefix), so SSTs whose prefix filters rule it out are skipped.
// `scan(start, end, options)` is the handle's scan.
export function scanPrefixWith(M, prefix, options, scan) {
  const [start, end] = prefixRange(M, prefix);
  const o = options !== null && typeof options === 'object' ? options : {};
  return scan(start, end, { ...o, filterPrefix: start ?? new Uint8Array(0) });
}

describeAs(DbIterator, function () {
  return `DbIterator { db: ${this._db}, state: '${this._closed ? 'closed' : this._exhausted ? 'exhausted' : 'open'}' }`;
});
