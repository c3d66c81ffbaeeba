// SPDX-License-Identifier: Apache-2.0
import type { ObjectMeta, ObjectStore, PutOptions } from './store_common.mjs';

/** Where the cache keeps its part files (cache_backends.mjs). */
export interface CacheBackend {
  readonly kind?: string;
  list(): Promise<{ name: string; size: number; modified: number }[]>;
  open(name: string): Promise<{ size: number; read(offset: number, length: number): Promise<Uint8Array> } | null>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  remove(name: string): Promise<void>;
  close(): void;
}

/** Named as upstream SlateDB's object_store_cache_options (camelCase). */
export interface CachedStoreOptions {
  /** OPFS directory / IndexedDB database name (default "slatedb-cache"). */
  rootFolder?: string;
  /** Bound on the cached files' total size (default 256 MiB). */
  maxCacheSizeBytes?: number;
  /** Objects are cached in aligned parts of this size (default 4 MiB). */
  partSizeBytes?: number;
  /** Cache the SSTs this page writes (either flag: the store cannot tell them apart). */
  cacheOnFlush?: boolean;
  cacheOnCompaction?: boolean;
  /** Which keys are cached (default isImmutableSstKey). */
  cacheable?: (key: string) => boolean;
  /** Names the inner store in the cache files (default its describe()). */
  storeIdentity?: string;
  /** "auto" (OPFS, else IndexedDB, else memory), a kind, or a backend object. */
  backend?: 'auto' | 'opfs' | 'indexeddb' | 'memory' | CacheBackend;
  /** Every cached read ("hit": no request; "miss"), eviction and corrupt part found. */
  onEvent?: (event: CacheEvent) => void;
}

export interface CacheEvent {
  type: 'hit' | 'miss' | 'evict' | 'corrupt';
  op?: 'get' | 'getRange';
  key?: string;
  name?: string;
  offset?: number;
  /** Bytes returned. */
  length?: number;
  /** Bytes of them read from the cache. */
  fromCache?: number;
  ms?: number;
}

export interface CacheStats {
  readsHit: number; readsMissed: number; partsHit: number; partsFetched: number;
  partsJoined: number; bytesServed: number; bytesFetched: number; innerRequests: number;
  partsWritten: number; writeFailures: number; evictions: number; corruptParts: number;
  usedBytes: number; maxBytes: number; entries: number;
}

export declare function isImmutableSstKey(key: string): boolean;

export declare class CachedStore implements ObjectStore {
  static open(inner: ObjectStore, options?: CachedStoreOptions): Promise<CachedStore>;
  readonly backendKind: string;
  readonly inner: ObjectStore;
  describe(): string;
  caches(key: string): boolean;
  stats(): CacheStats;
  /** Resolves once every part fetched so far is written (upstream's flush_cache_to_disk). */
  flushCacheToDisk(): Promise<void>;
  close(): void;
  get(key: string): Promise<Uint8Array | null>;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | null>;
  head(key: string): Promise<ObjectMeta | null>;
  put(key: string, data: Uint8Array, options?: PutOptions): Promise<ObjectMeta>;
  list(prefix?: string, startAfter?: string): Promise<ObjectMeta[]>;
  delete(key: string): Promise<void>;
  warm(key: string, ranges?: { offset: number; length: number }[]): Promise<void>;
  evict(key: string): Promise<void>;
  warmSst(dbPath: string, sstId: string): Promise<void>;
  evictCachedSst(dbPath: string, sstId: string): Promise<void>;
}
