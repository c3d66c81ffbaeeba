// SPDX-License-Identifier: Apache-2.0
// Types for slatedb.mjs, the JavaScript API of SlateDB's WebAssembly build.
import type { ObjectMeta, ObjectStore, PutOptions as StorePutOptions } from './store_common.mjs';

export { MemoryStore } from './memory_store.mjs';
export { StoreError } from './store_common.mjs';
export type { ObjectMeta, ObjectStore } from './store_common.mjs';
export { S3Store, s3Store } from './s3_store.mjs';
export type { S3StoreOptions, HttpRequestInfo } from './s3_store.mjs';
export { CachedStore, isImmutableSstKey } from './cached_store.mjs';
export type { CacheBackend, CacheEvent, CacheStats, CachedStoreOptions } from './cached_store.mjs';
export { IndexedDbCacheBackend, MemoryCacheBackend, OpfsCacheBackend } from './cache_backends.mjs';

/** Keys and values: Uint8Array; strings are UTF-8 encoded; ArrayBuffers and views accepted. */
export type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView | string;

/** Keys of a warmSst data target; a missing or null bound is unbounded. */
export interface CacheKeyRange {
  start?: Bytes | null;
  /** Default true. */
  startInclusive?: boolean;
  end?: Bytes | null;
  /** Default false. */
  endInclusive?: boolean;
}
/** A part of an SST for warmSst (upstream's CacheTarget); 'data' is every data block. */
export type CacheTarget =
  | 'filters' | 'index' | 'stats' | 'data'
  | { type: 'filters' | 'index' | 'stats' }
  | { type: 'data'; range?: CacheKeyRange };

export type ErrorKind = 'transaction' | 'closed' | 'unavailable' | 'invalid' | 'data' | 'internal';
export type CloseReason = 'clean' | 'fenced' | 'backgroundError';
/** What SlateDB.close() found: a clean close, or why the handle had already stopped. */
export type CloseResult = { reason: 'clean' } | { reason: 'fenced' | 'backgroundError'; error: ClosedError };

export declare class SlateDBError extends Error {
  constructor(kind: ErrorKind, message: string);
  readonly kind: ErrorKind;
}
export declare class TransactionError extends SlateDBError { constructor(message: string); readonly kind: 'transaction'; }
export declare class ClosedError extends SlateDBError {
  constructor(message: string, reason?: CloseReason);
  readonly kind: 'closed';
  readonly reason: CloseReason;
}
export declare class UnavailableError extends SlateDBError { constructor(message: string); readonly kind: 'unavailable'; }
export declare class InvalidError extends SlateDBError { constructor(message: string); readonly kind: 'invalid'; }
export declare class DataError extends SlateDBError { constructor(message: string); readonly kind: 'data'; }
export declare class InternalError extends SlateDBError { constructor(message: string); readonly kind: 'internal'; }

export interface ModuleOptions {
  /**
   * URL of slatedb_wasm.wasm. Default: next to slatedb_wasm.mjs (Vite and webpack rewrite it
   * to the copy they emit; in an esbuild bundle it is next to the bundle).
   */
  wasmUrl?: string | URL;
  /** The .wasm bytes (skips fetching/reading them). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** URL of another build of slatedb_wasm.mjs, imported at run time. */
  moduleUrl?: string | URL;
  /** An already imported createSlateDbModule. */
  factory?: (init: object) => Promise<unknown>;
  reload?: boolean;
}
/** Loads (once) the Emscripten module; SlateDB.open() does this for you. */
export declare function loadModule(options?: ModuleOptions): Promise<unknown>;

/**
 * Settings by the names of the core's settings table (upstream SlateDB's `Settings` names,
 * snake_case or camelCase, nested objects or dotted names; see docs/settings.md and
 * SlateDB.settingsTable()): e.g. {flushInterval: '50ms', defaultTtlMillis: null,
 * compactorOptions: {pollInterval: '1s'}}. Durations are strings ("100ms", "1s+500ms").
 * The names are checked by the engine, not by this type.
 */
export type SettingValue = string | number | boolean | null | Settings;
export interface Settings {
  [name: string]: SettingValue;
}

/** One row of the settings table. */
export interface SettingInfo {
  name: string;
  camelName: string;
  type: 'duration' | 'integer' | 'bool' | 'number' | 'string' | 'number-string' | 'group';
  nullable: boolean;
  effect: 'applied' | 'no-effect' | 'default-only';
  upstream: boolean;
  doc: string;
}

/** The core's error tables. */
export interface ErrorTables {
  kinds: Array<{ kind: number; name: ErrorKind; messagePrefix: string; pythonClass: string;
                 uniffiVariant: string; jsClass: string }>;
  codes: string[];
  /** Each code's kind (Status::kind()); "none" for Ok. */
  codeKinds: Record<string, ErrorKind | 'none'>;
  closeReasons: string[];
}

export type MergeOperator = (key: Uint8Array, existing: Uint8Array | undefined, operand: Uint8Array) => Uint8Array | string;

/**
 * Maps a key to the length of its prefix (core/include/slatedb/prefix_extractor.h), for
 * prefix bloom filters and segments. The engine calls prefixLen synchronously, with a copy of
 * the bytes; it must be a pure function of them.
 */
export interface PrefixExtractor {
  /**
   * A stable identifier, asked once at open: a filter is only used by a reader whose
   * extractor has the same name; a segment extractor's name is stored in the manifest.
   */
  name: string | (() => string);
  /**
   * The length of the prefix of `data` (an integer from 0 to data.length), or null/undefined
   * when it has none. `isPoint`: true for a stored or looked-up key, false for a prefix (a
   * prefix scan's, a segment's). Throwing or answering anything else is an error naming the
   * extractor: a read then treats the filter as "may match"; an SST write fails its memtable
   * flush, which stops the database (ClosedError, reason 'backgroundError').
   */
  prefixLen(data: Uint8Array, isPoint: boolean): number | null | undefined;
}

/**
 * A filter kept in every SST with at least min_filter_keys rows (upstream 0.17's bloom
 * filter policy): a bloom filter over whole keys, key prefixes, or both. Its name is "_bf",
 * then ":p=<extractor name>", then ":wh=0" without whole-key filtering; readers use the
 * filters whose name matches one of their policies and skip the others.
 */
export interface FilterPolicy {
  /** Bits per hashed key (default 10: about 1% false positives); 0 writes no filter. */
  bitsPerKey?: number;
  /** Hash every key whole (default true); point reads then probe the whole key. */
  wholeKeyFiltering?: boolean;
  /** Also hash each key's prefix: prefix scans skip SSTs the filter rules out. */
  prefixExtractor?: PrefixExtractor;
}

export interface OpenOptions {
  /** A store object, or "memory" for the in-memory store compiled into the module. */
  store: ObjectStore | 'memory';
  /** The database's prefix in the store ("" = the root). */
  path?: string;
  settings?: Settings;
  mergeOperator?: MergeOperator;
  /**
   * The filters written into new SSTs (also by this handle's compactor) and the only ones
   * reads consult; [] for none. Omitted: one whole-key filter of the bloomBitsPerKey setting.
   */
  filterPolicies?: FilterPolicy[];
  /**
   * Splits the database into segments by key prefix; every written key must have a prefix.
   * Fixed at creation: opening with another name, or without one, fails with InvalidError.
   */
  segmentExtractor?: PrefixExtractor;
  module?: ModuleOptions;
}

export interface WriteOptions {
  /** Resolve only once the write is in the object store (default true). */
  awaitDurable?: boolean;
}
export interface PutOptions extends WriteOptions {
  /** Time to live in ms (default: the database's default_ttl_millis); 0: never visible. */
  ttl?: number;
}
export interface ReadOptions {
  durabilityFilter?: 'memory' | 'remote';
  dirty?: boolean;
}
/** Options of a scan: ReadOptions plus the order keys come in (default 'ascending'). */
export interface ScanOptions extends ReadOptions {
  /** 'descending': from the end of the range down; such an iterator cannot seek(). */
  order?: 'ascending' | 'descending';
  /**
   * Bytes every key of the range starts with: SSTs whose prefix filters rule it out are
   * skipped unread. It does not narrow the range. scanPrefix() sets it to its prefix.
   */
  filterPrefix?: Bytes;
}
export interface WriteHandle {
  /** The write's sequence number. */
  seq: number;
  /** Its timestamp, ms since the epoch. */
  createTs: number;
}
export type FlushType = 'wal' | 'memtable';

export type BatchOp =
  | ['put', Bytes, Bytes, { ttl?: number }?]
  | ['delete', Bytes]
  | ['merge', Bytes, Bytes, { ttl?: number }?]
  | { type: 'put' | 'merge'; key: Bytes; value: Bytes; ttl?: number }
  | { type: 'delete'; key: Bytes };

export declare class WriteBatch {
  constructor();
  put(key: Bytes, value: Bytes, options?: { ttl?: number }): this;
  delete(key: Bytes): this;
  merge(key: Bytes, operand: Bytes, options?: { ttl?: number }): this;
  readonly size: number;
  static from(ops: WriteBatch | BatchOp[]): WriteBatch;
}

/** Async iterator of [key, value] in ascending (or, with {order: 'descending'}, descending) key order over a fixed view. */
export declare class DbIterator implements AsyncIterableIterator<[Uint8Array, Uint8Array]> {
  private constructor();
  [Symbol.asyncIterator](): this;
  next(): Promise<IteratorResult<[Uint8Array, Uint8Array], undefined>>;
  return(value?: unknown): Promise<IteratorResult<[Uint8Array, Uint8Array], undefined>>;
  /**
   * The next entries (up to 256) as an array, without a Promise per entry; an empty array
   * once the range is exhausted. May be mixed with next().
   */
  nextBatch(): Promise<Array<[Uint8Array, Uint8Array]>>;
  /** Moves forward so the next entry is the first with key >= `key` (ascending scans only). */
  seek(key: Bytes): Promise<void>;
  close(): void;
}

/** The LSM tree as db.state() reports it; keys are hex. */
export interface SstState { id: string; bytes: number; rows: number; first_key: string; last_key: string }
export interface DbState {
  open: boolean;
  last_seq: number;
  durable_seq: number;
  memtable: { bytes: number; limit_bytes: number };
  immutable_memtables: { bytes: number; wal_id: number }[];
  wal: { next_id: number; last_durable_id: number; buffered_bytes: number; uploads_queued: number };
  manifest: {
    id: number; writer_epoch: number; compactor_epoch: number; replay_after_wal_id: number;
    wal_id_last_seen: number; last_l0_seq: number; checkpoints: number;
    l0: SstState[];
    sorted_runs: { id: number; ssts: SstState[] }[];
  };
}

interface Reads {
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /** The values of many keys from one view, in the keys' order (undefined where absent). */
  getMany(keys: Iterable<Bytes>, options?: ReadOptions): Promise<(Uint8Array | undefined)[]>;
  /** [start, end); start omitted: the first key; end omitted: the last key. */
  scan(start?: Bytes | null, end?: Bytes | null, options?: ScanOptions): DbIterator;
  /** Every key starting with `prefix` ("" = everything). */
  scanPrefix(prefix: Bytes, options?: ScanOptions): DbIterator;
}

/** An optimistic transaction (db.begin()); see docs/wasm.md. */
export declare class Transaction implements Reads {
  private constructor();
  readonly isolation: 'si' | 'ssi';
  /** The sequence number the transaction reads at. */
  readonly seq: number;
  /** False once committed or rolled back. */
  readonly isOpen: boolean;
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /** Like SlateDB.getMany, with this transaction's own writes applied. */
  getMany(keys: Iterable<Bytes>, options?: ReadOptions): Promise<(Uint8Array | undefined)[]>;
  scan(start?: Bytes | null, end?: Bytes | null, options?: ScanOptions): DbIterator;
  scanPrefix(prefix: Bytes, options?: ScanOptions): DbIterator;
  put(key: Bytes, value: Bytes, options?: { ttl?: number }): Promise<void>;
  delete(key: Bytes): Promise<void>;
  merge(key: Bytes, operand: Bytes, options?: { ttl?: number }): Promise<void>;
  markRead(key: Bytes): Promise<void>;
  unmarkWrite(key: Bytes): Promise<void>;
  /** Rejects with TransactionError on a conflict; undefined when nothing was written. */
  commit(options?: WriteOptions): Promise<WriteHandle | undefined>;
  rollback(): void;
}

export type IsolationLevel = 'si' | 'snapshot' | 'ssi' | 'serializable' | 'serializable_snapshot'
  | 'SI' | 'SSI' | 'SNAPSHOT' | 'SERIALIZABLE' | 'SERIALIZABLE_SNAPSHOT';

/** A fixed read view (db.snapshot()); close() releases it. */
export declare class Snapshot implements Reads {
  private constructor();
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /** Like SlateDB.getMany, as of the snapshot. */
  getMany(keys: Iterable<Bytes>, options?: ReadOptions): Promise<(Uint8Array | undefined)[]>;
  scan(start?: Bytes | null, end?: Bytes | null, options?: ScanOptions): DbIterator;
  scanPrefix(prefix: Bytes, options?: ScanOptions): DbIterator;
  close(): void;
}

export declare class SlateDB implements Reads {
  /** Opens (creating if absent) the database at `path` in `store`, as its writer. */
  static open(options: OpenOptions): Promise<SlateDB>;
  private constructor();
  /** The database's path in its store. */
  readonly path: string;
  put(key: Bytes, value: Bytes, options?: PutOptions): Promise<WriteHandle>;
  merge(key: Bytes, operand: Bytes, options?: PutOptions): Promise<WriteHandle>;
  delete(key: Bytes, options?: WriteOptions): Promise<WriteHandle>;
  write(batch: WriteBatch | BatchOp[], options?: WriteOptions): Promise<WriteHandle>;
  batch(ops: WriteBatch | BatchOp[], options?: WriteOptions): Promise<WriteHandle>;
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /**
   * The values of `keys` in the same order (undefined where absent), read together: each SST
   * block is fetched once and the fetches are issued at once.
   */
  getMany(keys: Iterable<Bytes>, options?: ReadOptions): Promise<(Uint8Array | undefined)[]>;
  scan(start?: Bytes | null, end?: Bytes | null, options?: ScanOptions): DbIterator;
  scanPrefix(prefix: Bytes, options?: ScanOptions): DbIterator;
  snapshot(): Promise<Snapshot>;
  begin(isolation?: IsolationLevel): Promise<Transaction>;
  flush(type?: FlushType | { type?: FlushType }): Promise<void>;
  /**
   * Loads `targets` of SST `sstId` (a ULID) into the database's caches (and the whole SST into
   * a CachedStore), so reads of them make no request. Nothing for an SST the database does not
   * list. Rejects with code "Invalid" for a malformed id, ClosedError once closed.
   */
  warmSst(sstId: string, targets?: CacheTarget[]): Promise<void>;
  /** Drops what the caches hold of SST `sstId`; its next read fetches it again. */
  evictCachedSst(sstId: string): Promise<void>;
  /** Waits for a CachedStore's part writes under way; nothing else to write. */
  flushCacheToDisk(): Promise<void>;
  /**
   * Flushes and closes. Safe in `finally`: on a handle already closed, fenced or stopped by a
   * background error it resolves with the reason (and the ClosedError calls fail with);
   * rejects only if the final flush fails on a handle that is still open.
   */
  close(): Promise<CloseResult>;
  /** Resolves while open; rejects with the error every call now fails with. */
  status(): Promise<void>;
  metrics(): Promise<Record<string, number>>;
  /** The settings the database opened with (upstream's settings document). */
  settings(): Promise<Record<string, unknown>>;
  static settingsTable(options?: { module?: ModuleOptions }): Promise<SettingInfo[]>;
  /** The settings document an open with `settings` would use; InvalidError if refused. */
  static resolveSettings(settings?: Settings, options?: { module?: ModuleOptions }): Promise<Record<string, unknown>>;
  static errorKinds(options?: { module?: ModuleOptions }): Promise<ErrorTables>;
  state(): Promise<DbState>;
  createCheckpoint(options?: CheckpointOptions): Promise<{ id: string; manifestId: number }>;
  /** lifetime: ms from now; undefined/null: never expires. */
  refreshCheckpoint(id: string, lifetime?: number | null): Promise<void>;
  deleteCheckpoint(id: string): Promise<void>;
  listCheckpoints(): Promise<CheckpointInfo[]>;
}

export interface CheckpointOptions {
  /** 'all' (default): flush first so every write so far is included; 'durable': no flush. */
  scope?: 'all' | 'durable' | 'ALL' | 'DURABLE';
  /** ms until it expires; default: never. */
  lifetime?: number | null;
  /** Pin the same version as this existing checkpoint. */
  source?: string;
  name?: string;
}
export interface CheckpointInfo {
  id: string;
  manifestId: number;
  /** ms since the epoch. */
  createTime: number;
  /** ms since the epoch; null: never expires. */
  expireTime: number | null;
  name: string;
}

export interface ReaderOptions {
  store: ObjectStore | 'memory';
  path?: string;
  /** Pin the reader to this checkpoint (selects mode 'checkpoint'). */
  checkpointId?: string;
  /** 'managed' (default), 'checkpoint' or 'follow'. */
  mode?: 'managed' | 'checkpoint' | 'follow';
  manifestPollIntervalMs?: number;
  checkpointLifetimeMs?: number;
  maxMemtableBytes?: number;
  skipWalReplay?: boolean;
  blockCacheBytes?: number;
  mergeOperator?: MergeOperator;
  /** As OpenOptions.filterPolicies; omitted: the whole-key filter ("_bf") of any size. */
  filterPolicies?: FilterPolicy[];
  /** As OpenOptions.segmentExtractor: must match the database's. */
  segmentExtractor?: PrefixExtractor;
  module?: ModuleOptions;
}

/** A read-only handle that never fences the writer; sees durable data only. */
export declare class SlateDBReader implements Reads {
  static open(options: ReaderOptions): Promise<SlateDBReader>;
  private constructor();
  get(key: Bytes, options?: ReadOptions): Promise<Uint8Array | undefined>;
  /** Like SlateDB.getMany, over what the reader has loaded. */
  getMany(keys: Iterable<Bytes>, options?: ReadOptions): Promise<(Uint8Array | undefined)[]>;
  scan(start?: Bytes | null, end?: Bytes | null, options?: ScanOptions): DbIterator;
  scanPrefix(prefix: Bytes, options?: ScanOptions): DbIterator;
  /** Polls now (no-op when pinned to a checkpoint). */
  refresh(): Promise<void>;
  /** As SlateDB.warmSst / evictCachedSst / flushCacheToDisk, for the reader's own caches. */
  warmSst(sstId: string, targets?: CacheTarget[]): Promise<void>;
  evictCachedSst(sstId: string): Promise<void>;
  flushCacheToDisk(): Promise<void>;
  checkpointId(): Promise<string | undefined>;
  /** The reader's own counters, named as SlateDB.metrics() names them. */
  metrics(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export interface WalReaderOptions {
  store: ObjectStore | 'memory';
  path?: string;
  /** The store holding the WAL objects, for a database that keeps its WAL apart. */
  walStore?: ObjectStore | 'memory';
  module?: ModuleOptions;
}

/** One row as the writer logged it; merge rows carry the raw operand. */
export interface WalRow {
  kind: 'value' | 'tombstone' | 'merge';
  key: Uint8Array;
  /** undefined for tombstones. */
  value: Uint8Array | undefined;
  seq: bigint;
  createTs: number | undefined;
  expireTs: number | undefined;
}

/** One WAL object: what one WAL flush of the writer uploaded (empty for a writer's fence). */
export interface WalFile {
  id: number;
  rows: WalRow[];
}

export interface WalFileIterator extends AsyncIterableIterator<WalFile> {
  /** The next file, or null when none exists yet (never waits). */
  tryNext(): Promise<WalFile | null>;
  close(): void;
}

/** Change data capture: the WAL objects of a database, read without opening it. */
export declare class WalReader {
  static open(options: WalReaderOptions): Promise<WalReader>;
  private constructor();
  /** The newest WAL object id after `after` (default 0), or `after` when there is none. */
  lastWalFileId(after?: number | bigint): Promise<number>;
  /** Files from id `start` (default 1) on; at the newest, waits for the writer's next one. */
  files(options?: { start?: number | bigint; pollIntervalMs?: number; signal?: AbortSignal }): WalFileIterator;
  close(): void;
}

/** Marks stores implemented inside the module (SlateDB.open uses them directly). */
export declare const NATIVE_STORE: unique symbol;

export interface NativeStoreProxy extends ObjectStore {
  get(key: string): Promise<Uint8Array | null>;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | null>;
  head(key: string): Promise<ObjectMeta | null>;
  put(key: string, data: Bytes, options?: StorePutOptions): Promise<ObjectMeta>;
  list(prefix?: string, startAfter?: string): Promise<ObjectMeta[]>;
  delete(key: string): Promise<void>;
  describe(): string;
  free(): void;
}
/** A store seen through the C++ ObjectStore glue (for tests and tools). */
export declare function cppStore(store: ObjectStore | 'memory', options?: { module?: ModuleOptions }): Promise<NativeStoreProxy>;
export declare function nativeStoreProxy(module: unknown, handle: number, description: string): NativeStoreProxy;

export default SlateDB;
