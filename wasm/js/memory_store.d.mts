// SPDX-License-Identifier: Apache-2.0
import type { ObjectMeta, ObjectStore, PutOptions } from './store_common.mjs';
export { StoreError } from './store_common.mjs';

export interface StoreRequestCounts {
  get: number; getRange: number; head: number; put: number; list: number; delete: number;
}

/** A pure-JavaScript in-memory store (the reference for the store protocol). */
export declare class MemoryStore implements ObjectStore {
  constructor(options?: { now?: () => number });
  /** Requests received, per method. */
  readonly counts: StoreRequestCounts;
  /** Number of objects stored. */
  readonly size: number;
  describe(): string;
  get(key: string): Promise<Uint8Array | null>;
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | null>;
  head(key: string): Promise<ObjectMeta | null>;
  put(key: string, data: Uint8Array | ArrayBuffer | string, options?: PutOptions): Promise<ObjectMeta>;
  list(prefix?: string, startAfter?: string): Promise<ObjectMeta[]>;
  delete(key: string): Promise<void>;
}
