// SPDX-License-Identifier: Apache-2.0
//
// SlateDBReader: a read-only handle that never fences the writer.
import {
  checkpointId, checkStore, decodeGet, decodeMany, encodeCacheTargets, encodeFilterOptions, encodeKeys,
  encoder, filterOptionsOf, keyArg, makeStoreHandle,
  optionalMs, readOptionsOf,
} from './args.mjs';
import { ClosedError, InvalidError } from './errors.mjs';
import { describeAs, hidden, quote } from './inspect.mjs';
import { makeScan, scanPrefixWith } from './iterator.mjs';
import { call, loadModule } from './module.mjs';

// --- SlateDBReader -------------------------------------------------------------------------------

export const READER_MODES = { managed: 0, checkpoint: 1, follow: 2 };
export const readerRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ M, h }) => M._slatedb_reader_free(h)) : null;

/**
 * A read-only handle on a database that a writer (in any process or runtime) may be
 * writing: it never fences the writer. Modes: 'managed' (default; keeps its own checkpoint
 * so GC leaves what it reads, and follows the writer by polling the manifest and reading new
 * WAL objects every manifestPollIntervalMs), 'checkpoint' (pinned to `checkpointId`; giving
 * checkpointId selects it), 'follow' (follows without a checkpoint). Sees only durable data.
 */
export class SlateDBReader {
  /**
   * @param {object} options {store, path, checkpointId, mode, manifestPollIntervalMs,
   *   checkpointLifetimeMs, maxMemtableBytes, skipWalReplay, blockCacheBytes, mergeOperator,
   *   filterPolicies, segmentExtractor (as SlateDB.open's), module}
   */
  static async open(options = {}) {
    if (options == null || typeof options !== 'object') throw new InvalidError('SlateDBReader.open needs {store, path}');
    const { store, path = '', checkpointId: cp, mergeOperator } = options;
    if (typeof path !== 'string') throw new InvalidError('path must be a string');
    if (cp != null && (typeof cp !== 'string' || cp.length === 0)) throw new InvalidError('checkpointId must be a non-empty string');
    const modeName = options.mode ?? (cp != null ? 'checkpoint' : 'managed');
    const mode = READER_MODES[modeName];
    if (mode === undefined) throw new InvalidError(`invalid reader mode: ${modeName} (expected 'managed', 'checkpoint' or 'follow')`);
    if (mergeOperator != null && typeof mergeOperator !== 'function') {
      throw new InvalidError('mergeOperator must be a function (key, existing, operand) => bytes');
    }
    const poll = optionalMs(options.manifestPollIntervalMs, 'manifestPollIntervalMs');
    const lifetime = optionalMs(options.checkpointLifetimeMs, 'checkpointLifetimeMs');
    const maxMem = optionalMs(options.maxMemtableBytes, 'maxMemtableBytes');
    const cache = optionalMs(options.blockCacheBytes, 'blockCacheBytes');
    const skipWal = options.skipWalReplay ?? false;
    if (typeof skipWal !== 'boolean') throw new InvalidError('skipWalReplay must be a boolean');
    if (store !== 'memory') checkStore(store);
    const filters = filterOptionsOf(options);
    const M = await loadModule(options.module);
    const rt = M.slatedbRt;
    const storeHandle = makeStoreHandle(M, store);
    const mergeHandle = mergeOperator ? rt.register(mergeOperator) : 0;
    try {
      const h = await call(M, (ptr, len, num) => num, (id) =>
        rt.withBytes([encoder.encode(path), cp ?? null, encodeFilterOptions(rt, filters)],
          (pp, pl, cpp, cpl, fp, fl) =>
            M._slatedb_reader_open(storeHandle, pp, pl, mode, cp != null ? 1 : 0, cpp, cpl, poll,
                                   lifetime, maxMem, skipWal ? 1 : 0, cache, mergeHandle, fp, fl,
                                   id)));
      const reader = new SlateDBReader(M, h);
      reader.path = path;
      reader.mode = modeName;
      return reader;
    } finally {
      M._slatedb_store_free(storeHandle);
    }
  }

  constructor(M, h) {
    hidden(this, '_M', M);
    hidden(this, '_closed', false);
    this._h = h;
    readerRegistry?.register(this, { M, h }, this);
  }

  _handle() {
    if (!this._h) throw new ClosedError('reader handle was released', 'clean');
    return this._h;
  }

  /** The value of `key` (Uint8Array) or undefined, as far as the reader has loaded. */
  async get(key, options) {
    const k = keyArg(key);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeGet(M), (id) => M.slatedbRt.withBytes([k], (kp, kl) =>
      M._slatedb_reader_get(this._handle(), kp, kl, durability, dirty, id)));
  }

  /** Like SlateDB.getMany, over what the reader has loaded. */
  async getMany(keys, options) {
    const encoded = encodeKeys(keys);
    const [durability, dirty] = readOptionsOf(options);
    const M = this._M;
    return call(M, decodeMany(M), (id) => M.slatedbRt.withBytes([encoded], (p, n) =>
      M._slatedb_reader_get_many(this._handle(), p, n, durability, dirty, id)));
  }

  scan(start, end, options) {
    return makeScan(this, start, end, options, (id, sp, sl, ep, el, dur, dirty, order, fp, fl, hasFp) =>
      this._M._slatedb_reader_scan(this._handle(), sp, sl, ep, el, dur, dirty, order, fp, fl, hasFp, id));
  }

  scanPrefix(prefix, options) {
    return scanPrefixWith(this._M, prefix, options, (start, end, o) => this.scan(start, end, o));
  }

  /** As SlateDB.warmSst, into the reader's own block cache. */
  async warmSst(sstId, targets = []) {
    const encoded = encodeCacheTargets(targets);
    const M = this._M;
    await call(M, null, (id) => M.slatedbRt.withBytes([String(sstId), encoded],
      (ip, il, tp, tl) => M._slatedb_reader_warm_sst(this._handle(), ip, il, tp, tl, id)));
  }

  /** As SlateDB.evictCachedSst, from the reader's own caches. */
  async evictCachedSst(sstId) {
    const M = this._M;
    await call(M, null, (id) => M.slatedbRt.withBytes([String(sstId)],
      (ip, il) => M._slatedb_reader_evict_cached_sst(this._handle(), ip, il, id)));
  }

  /** As SlateDB.flushCacheToDisk (the reader's store has no cache of its own to wait for). */
  async flushCacheToDisk() {
    const M = this._M;
    await call(M, null, (id) => M._slatedb_reader_flush_cache_to_disk(this._handle(), id));
  }

  /** Polls now: loads a newer manifest and new WAL objects (no-op when pinned). */
  async refresh() {
    const M = this._M;
    return call(M, null, (id) => M._slatedb_reader_refresh(this._handle(), id));
  }

  /** The checkpoint the reader reads through (managed or pinned), or undefined. */
  async checkpointId() {
    const M = this._M;
    const id = await call(M, (ptr, len) => M.slatedbRt.utf8(ptr, len),
      (cid) => M._slatedb_reader_checkpoint_id(this._handle(), cid));
    return id || undefined;
  }

  /** The reader's own counters (gets, scans, object-store requests, block cache), named as
   * SlateDB.metrics() names them. */
  async metrics() {
    const M = this._M;
    const text = await call(M, (ptr, len) => M.slatedbRt.utf8(ptr, len),
      (cid) => M._slatedb_reader_metrics(this._handle(), cid));
    return JSON.parse(text);
  }

  /** Stops polling and deletes the managed checkpoint; later calls fail with ClosedError. */
  async close() {
    const M = this._M;
    await call(M, null, (id) => M._slatedb_reader_close(this._handle(), id));
    this._closed = true;
  }
}

describeAs(SlateDBReader, function () {
  return `SlateDBReader { path: ${quote(this.path ?? '')}, mode: '${this.mode ?? 'managed'}', state: '${this._closed ? 'closed' : 'open'}' }`;
});
