// SPDX-License-Identifier: Apache-2.0
//
// Snapshot: a fixed read view made by db.snapshot().
import { decodeGet, decodeMany, encodeKeys, keyArg, readOptionsOf } from './args.mjs';
import { ClosedError } from './errors.mjs';
import { makeScan, scanPrefixWith } from './iterator.mjs';
import { describeAs, hidden } from './inspect.mjs';
import { call } from './module.mjs';

// --- Snapshot -------------------------------------------------------------------------------------

export const snapshotRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_snapshot_free(h)) : null;

/**
 * A fixed read view made by db.snapshot(): reads never see writes made after it. Release it
 * with close() (also done when it is garbage-collected); afterwards every call fails with
 * ClosedError("snapshot is closed"). Closing the database closes its snapshots too.
 */
export class Snapshot {
  constructor(db, h) {
    hidden(this, '_db', db);
    hidden(this, '_M', db._M);
    this._h = h;
    snapshotRegistry?.register(this, { M: this._M, h }, this);
  }

  _handle() {
    if (!this._h) throw new ClosedError('snapshot is closed', 'clean');
    return this._h;
  }

  /** The value of `key` as of the snapshot (Uint8Array) or undefined. */
  async get(key, options) {
    const k = keyArg(key);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeGet(M), (id) => M.slatedbRt.withBytes([k], (kp, kl) =>
      M._slatedb_snapshot_get(this._handle(), kp, kl, durability, dirty, id)));
  }

  /** Like SlateDB.getMany, as of the snapshot. */
  async getMany(keys, options) {
    const encoded = encodeKeys(keys);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeMany(M), (id) => M.slatedbRt.withBytes([encoded], (p, n) =>
      M._slatedb_snapshot_get_many(this._handle(), p, n, durability, dirty, id)));
  }

  /** Like SlateDB.scan, over the snapshot. */
  scan(start, end, options) {
    return makeScan(this, start, end, options, (id, sp, sl, ep, el, dur, dirty, order, fp, fl, hasFp) =>
      this._M._slatedb_snapshot_scan(this._handle(), sp, sl, ep, el, dur, dirty, order, fp, fl, hasFp, id));
  }

  scanPrefix(prefix, options) {
    return scanPrefixWith(this._M, prefix, options, (start, end, o) => this.scan(start, end, o));
  }

  /** Releases the snapshot (idempotent). */
  close() {
    if (this._h) {
      snapshotRegistry?.unregister(this);
      this._M._slatedb_snapshot_free(this._h);
      this._h = 0;
    }
  }
}

describeAs(Snapshot, function () {
  return `Snapshot { db: ${this._db}, state: '${this._h ? 'open' : 'closed'}' }`;
});
