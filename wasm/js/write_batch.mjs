// SPDX-License-Identifier: Apache-2.0
//
// WriteBatch: puts, deletes and merges applied atomically by db.write().
import { bytes, keyBytes, ttlOf } from './args.mjs';
import { InvalidError } from './errors.mjs';
import { describeAs } from './inspect.mjs';

// --- WriteBatch ----------------------------------------------------------------------------------

/** Puts, deletes and merges applied atomically by db.write(batch). */
export class WriteBatch {
  constructor() { this._ops = []; }
  put(key, value, options) {
    this._ops.push([0, keyBytes(key), bytes(value, 'value'), ttlOf(options)]);
    return this;
  }
  delete(key) {
    this._ops.push([1, keyBytes(key), null, NaN]);
    return this;
  }
  merge(key, operand, options) {
    this._ops.push([2, keyBytes(key), bytes(operand, 'operand'), ttlOf(options)]);
    return this;
  }
  get size() { return this._ops.length; }

  // Accepts a WriteBatch or an array of ops: {type: 'put'|'delete'|'merge', key, value, ttl}
  // or tuples ['put', key, value, {ttl}], ['delete', key], ['merge', key, operand, {ttl}].
  static from(ops) {
    if (ops instanceof WriteBatch) return ops;
    if (!Array.isArray(ops)) throw new InvalidError('batch must be a WriteBatch or an array of operations');
    const b = new WriteBatch();
    for (const op of ops) {
      const [type, key, value, opts] = Array.isArray(op)
        ? op : [op?.type, op?.key, op?.value, { ttl: op?.ttl }];
      if (type === 'put') b.put(key, value, opts);
      else if (type === 'delete') b.delete(key);
      else if (type === 'merge') b.merge(key, value, opts);
      else throw new InvalidError(`unknown batch operation: ${type}`);
    }
    return b;
  }

  _encode() {
    let total = 0;
    for (const [, k, v] of this._ops) total += 17 + k.length + (v ? v.length : 0);
    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    let at = 0;
    for (const [type, k, v, ttl] of this._ops) {
      dv.setUint8(at, type); at += 1;
      dv.setFloat64(at, ttl, true); at += 8;
      dv.setUint32(at, k.length, true); at += 4;
      out.set(k, at); at += k.length;
      const vl = v ? v.length : 0;
      dv.setUint32(at, vl, true); at += 4;
      if (vl) { out.set(v, at); at += vl; }
    }
    return out;
  }
}

describeAs(WriteBatch, function () { return `WriteBatch { operations: ${this._ops.length} }`; });
