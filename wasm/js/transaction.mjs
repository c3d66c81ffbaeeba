// SPDX-License-Identifier: Apache-2.0
//
// Transaction: optimistic transactions made by db.begin().
import {
  awaitDurableOf, decodeGet, decodeMany, decodeWrite, encodeKeys, keyArg, readOptionsOf, ttlOf,
  valueArg,
} from './args.mjs';
import { ClosedError } from './errors.mjs';
import { makeScan, scanPrefixWith } from './iterator.mjs';
import { describeAs, hidden } from './inspect.mjs';
import { call } from './module.mjs';

// --- Transaction ---------------------------------------------------------------------------------

export const txnRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_txn_free(h)) : null;

/**
 * An optimistic transaction (db.begin()): reads see a fixed snapshot overlaid with the
 * transaction's own writes; writes are buffered until commit(), which applies them
 * atomically or rejects with TransactionError on a conflict (SI: another commit wrote a key
 * this one writes; SSI: also a key it read or a range it scanned). After commit() (whatever
 * its outcome) or rollback(), every call fails with ClosedError("transaction is closed")
 * except rollback(). An abandoned transaction is rolled back when garbage-collected.
 */
export class Transaction {
  constructor(db, h, isolation) {
    hidden(this, '_db', db);
    hidden(this, '_M', db._M);
    this._h = h;
    /** 'si' or 'ssi'. */
    this.isolation = isolation;
    /** The sequence number the transaction reads at. */
    this.seq = this._M._slatedb_txn_seq(h);
    txnRegistry?.register(this, { M: this._M, h }, this);
  }

  _handle() {
    if (!this._h || !this._M._slatedb_txn_is_open(this._h)) throw new ClosedError('transaction is closed', 'clean');
    return this._h;
  }

  /** False once committed or rolled back. */
  get isOpen() { return this._h !== 0 && this._M._slatedb_txn_is_open(this._h) === 1; }

  async get(key, options) {
    const k = keyArg(key);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeGet(M), (id) => M.slatedbRt.withBytes([k], (kp, kl) =>
      M._slatedb_txn_get(this._handle(), kp, kl, durability, dirty, id)));
  }

  /** Like SlateDB.getMany, with this transaction's own writes applied. */
  async getMany(keys, options) {
    const encoded = encodeKeys(keys);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeMany(M), (id) => M.slatedbRt.withBytes([encoded], (p, n) =>
      M._slatedb_txn_get_many(this._handle(), p, n, durability, dirty, id)));
  }

  scan(start, end, options) {
    return makeScan(this, start, end, options, (id, sp, sl, ep, el, dur, dirty, order, fp, fl, hasFp) =>
      this._M._slatedb_txn_scan(this._handle(), sp, sl, ep, el, dur, dirty, order, fp, fl, hasFp, id));
  }

  scanPrefix(prefix, options) {
    return scanPrefixWith(this._M, prefix, options, (start, end, o) => this.scan(start, end, o));
  }

  _write(op, key, value, options) {
    const k = keyArg(key);
    const v = value === null ? null : valueArg(value, op === 2 ? 'operand' : 'value');
    const ttl = ttlOf(options);
    const M = this._M;
    return call(M, null, (id) => M.slatedbRt.withBytes([k, v], (kp, kl, vp, vl) =>
      M._slatedb_txn_write(this._handle(), op, kp, kl, vp, vl, ttl, id)));
  }

  /** Buffers a put (options: {ttl}). */
  async put(key, value, options) { return this._write(0, key, value, options); }
  async delete(key) { return this._write(1, key, null); }
  /** Buffers a merge operand (options: {ttl}). */
  async merge(key, operand, options) { return this._write(2, key, operand, options); }
  /** SSI: records `key` as read without reading it. */
  async markRead(key) { return this._write(3, key, null); }
  /** Leaves `key` out of this transaction's conflict checks (its write still applies). */
  async unmarkWrite(key) { return this._write(4, key, null); }

  /**
   * Checks for conflicts and applies the buffered writes atomically. Resolves with
   * {seq, createTs}, or undefined if nothing was written. Options: {awaitDurable = true}.
   */
  async commit(options) {
    const durable = awaitDurableOf(options);
    const M = this._M;
    const dw = decodeWrite(M);
    return call(M, (ptr, len, num) => (num === 1 ? dw(ptr, len) : undefined),
      (id) => M._slatedb_txn_commit(this._handle(), durable, id));
  }

  /** Discards the buffered writes and closes the transaction. Idempotent. */
  rollback() {
    if (this._h) this._M._slatedb_txn_rollback(this._h);
  }
}

describeAs(Transaction, function () {
  return `Transaction { isolation: '${this.isolation}', seq: ${this.seq}, state: '${this.isOpen ? 'open' : 'closed'}' }`;
});
