// SPDX-License-Identifier: Apache-2.0
import type { ObjectMeta, ObjectStore, PutOptions } from './store_common.mjs';
import type { StoreRequestCounts } from './memory_store.mjs';
export { StoreError } from './store_common.mjs';

/** A persistent store in the browser's IndexedDB (one IndexedDB database per name). */
export declare class IndexedDbStore implements ObjectStore {
  static open(name?: string, options?: { indexedDB?: IDBFactory }): Promise<IndexedDbStore>;
  /** Deletes the whole IndexedDB database (close stores on it first). */
  static destroy(name?: string, options?: { indexedDB?: IDBFactory }): Promise<void>;
  readonly counts: StoreRequestCounts;
  describe(): string;
  close(): void;
  get(key: string): Promise<Uint8Array | null>;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | null>;
  head(key: string): Promise<ObjectMeta | null>;
  put(key: string, data: Uint8Array | ArrayBuffer | string, options?: PutOptions): Promise<ObjectMeta>;
  list(prefix?: string, startAfter?: string): Promise<ObjectMeta[]>;
  delete(key: string): Promise<void>;
}
